"""Benchmark of the mailing-list import against PostgreSQL (see bench/README.md).

    .venv/bin/python bench/import_benchmark.py [--rows 100000] [--runs 3] [--slice 5000] [--million]

Creates its own scratch database on the server of DATABASE_URL (Django's test-database
machinery: `derbes_import_bench`, migrated once), then gives every timed run a fresh copy of it
(CREATE DATABASE ... TEMPLATE, then CHECKPOINT), so each run imports into the same empty
registers, from the same state of the server, and commits.
Prints:
- our import (subject + consent + both history rows per person, suppression checked, one
  transaction, committed): rows/s, median of --runs, and the SQL statements it sent; then
  the job that indexes its subjects for the search, run as a worker would after commit;
- django-import-export's default row-by-row import (a ModelResource saving each subject and
  its consent with history) of the first --slice rows of the same file;
- a raw COPY of the same people into the same indexed subjects table (the physical limit);
- with --index-cost, the import with each layout of the search (index_cost);
- peak memory of a process that imports the file: its peak resident set size (VmHWM, the
  whole Python process, Django included) and the peak of Python allocations during the import
  (tracemalloc); with --million the same for 1,000,000 rows.
Nothing here is a test: it measures, prints, and drops its databases.
"""

import argparse
import importlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# Another name lets two people benchmark on one server at once.
SCRATCH = os.environ.get("IMPORT_BENCH_DATABASE", "derbes_import_bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from listgen import rows as list_rows  # noqa: E402
from listgen import write_list  # noqa: E402

# The job that indexes the imported subjects for the search is queued, as in production, not run
# inline at commit (the test settings' default): it is timed apart, by `search_job`.
settings.JOBS_INLINE = False


def _admin_execute(statement: str) -> None:
    """Run CREATE/DROP DATABASE from the server's maintenance database."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(statement)


def _use(database: str) -> None:
    connections["default"].close()
    connections["default"].settings_dict["NAME"] = database


class Databases:
    """The migrated scratch database and fresh copies of it, one per run."""

    def __init__(self) -> None:
        from django.test.utils import setup_databases

        connections["default"].settings_dict["TEST"]["NAME"] = SCRATCH
        self.old = setup_databases(verbosity=0, interactive=False)
        self.copies: list[str] = []

    def fresh(self) -> str:
        name = f"{SCRATCH}_{len(self.copies) + 1}"
        _use(SCRATCH)
        connections["default"].close()
        _admin_execute(f"DROP DATABASE IF EXISTS {name}")
        _admin_execute(f"CREATE DATABASE {name} TEMPLATE {SCRATCH}")
        # Every run starts from the same state of the server: the copy and the run before
        # leave hundreds of MiB of dirty pages and WAL, and a checkpoint falling inside a run
        # would charge their writing to it.
        _admin_execute("CHECKPOINT")
        self.copies.append(name)
        _use(name)
        return name

    def drop(self) -> None:
        from django.test.utils import teardown_databases

        _use(SCRATCH)
        for name in self.copies:
            _admin_execute(f"DROP DATABASE IF EXISTS {name}")
        teardown_databases(self.old, verbosity=0)


def _actor():
    from django.contrib.auth.models import User

    return User.objects.create_user("bench-importer", password=None, is_staff=True)


def _backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (a local server): the work
    the import gives the server, which a busy machine does not inflate as it does wall time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


SERVER_CPU: list[float] = []
READER_WAIT: list[float] = []  # seconds the writer waited for each chunk of one run
WAITED: list[float] = []  # of each run: the writer's wait for the reader, all chunks
STATEMENT_SECONDS: dict[str, float] = {}  # wall seconds per kind of statement, every run


def _statement_kind(sql: str) -> str:
    """A short name for a statement of the import: the chunk's statement by what it writes."""
    text = " ".join(sql.split())
    if text.startswith("WITH plan AS"):
        return "chunk: plan + subjects, consents, history" if "new_subject" in text else "chunk"
    return text[:60]  # the server's CPU seconds of each of our_import's runs


def our_import(path: Path) -> tuple[float, dict, int, int]:
    """One committed import of `path`: (seconds, counts, statements, COPY streams)."""
    from consents.models import Purpose
    from imports.services import ImportSource, mailing_list_import, pipeline, postgres

    actor, purpose = _actor(), Purpose.objects.get(code="newsletter")
    statements = copies = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = _statement_kind(sql)
            STATEMENT_SECONDS[kind] = STATEMENT_SECONDS.get(kind, 0) + time.perf_counter() - started

    original_copy = postgres.PostgresWriter._copy
    original_chunks = pipeline.Reader.chunks

    def timed_chunks(self):
        """The reader's chunks, timing how long the writer waits for each."""
        chunks = original_chunks(self)
        while True:
            started = time.perf_counter()
            chunk = next(chunks, None)
            READER_WAIT.append(time.perf_counter() - started)
            if chunk is None:
                return
            yield chunk

    def counted_copy(self, table, lines):
        nonlocal copies
        copies += 1
        return original_copy(self, table, lines)

    postgres.PostgresWriter._copy = counted_copy  # type: ignore[method-assign]
    pipeline.Reader.chunks = timed_chunks  # type: ignore[method-assign]
    READER_WAIT.clear()
    try:
        with path.open("rb") as stream, connection.execute_wrapper(count):
            cpu = _backend_cpu()
            started = time.perf_counter()
            report = mailing_list_import(
                sources=[ImportSource(path.name, stream)], purpose=purpose, actor=actor
            )
            seconds = time.perf_counter() - started
            SERVER_CPU.append(_backend_cpu() - cpu)
    finally:
        postgres.PostgresWriter._copy = original_copy  # type: ignore[method-assign]
        pipeline.Reader.chunks = original_chunks  # type: ignore[method-assign]
    WAITED.append(sum(READER_WAIT))
    return seconds, report.totals(), statements, copies


def import_export_row_by_row(count: int) -> float:
    """django-import-export's default import (row by row, instance.save(), history by signal)."""
    import tablib
    from django.utils import timezone
    from import_export import resources

    from consents.models import Consent, ConsentMethod, Purpose
    from subjects.models import Source, Subject

    purpose = Purpose.objects.get(code="newsletter")

    class SubjectResource(resources.ModelResource):
        class Meta:
            model = Subject
            fields = ("email", "last_name", "first_name", "phone", "city", "source")
            import_id_fields = ("email",)

        def after_save_instance(self, instance, row, **kwargs):
            if not kwargs.get("dry_run"):
                Consent.objects.get_or_create(
                    subject=instance, purpose=purpose, state="given",
                    defaults={"given_at": timezone.now(), "method": ConsentMethod.IMPORT,
                              "evidence": f"Imported, line {row['line']}"},
                )  # fmt: skip

    data = tablib.Dataset(
        headers=["line", "email", "first_name", "last_name", "phone", "city", "source"]
    )
    for line, (name, email, phone, _day, _consent, city) in enumerate(list_rows(count), start=2):
        if email.endswith("@"):
            continue  # a broken address: it would make import-export roll the whole file back
        first, _, last = name.partition(" ")
        data.append([line, email.lower(), first, last, phone, city, Source.IMPORT])
    started = time.perf_counter()
    resources_result = SubjectResource().import_data(data, dry_run=False, raise_errors=False)
    seconds = time.perf_counter() - started
    errors = [e.error for _, row_errors in resources_result.row_errors() for e in row_errors]
    assert Subject.objects.count() > 0, errors[:3]
    return seconds


def raw_copy(count: int) -> float:
    """COPY of the same people, already clean, into subjects_subject (best of the database)."""
    from subjects.models import Subject

    columns = [f.column for f in Subject._meta.concrete_fields if not f.primary_key]
    now = "2025-01-01T00:00:00+00:00"
    seen, lines = set(), []
    for name, email, _phone, _day, _consent, city in list_rows(count):
        email = email.lower()
        if email in seen or not email.split("@")[-1]:
            continue
        seen.add(email)
        first, _, last = name.partition(" ")
        values = {
            "last_name": last, "first_name": first, "email": email, "city": city,
            "preferred_language": "kk", "source": "import", "state": "active",
            "created_at": now, "updated_at": now,
            "birth_date": "\\N", "blocked_at": "\\N", "erased_at": "\\N",
        }  # fmt: skip
        lines.append("\t".join(values.get(column, "") for column in columns) + "\n")  # type: ignore[arg-type]
    data = "".join(lines)
    from subjects.search import search_defer

    with transaction.atomic(), connection.cursor() as cursor:
        search_defer()  # as the import: the search rows come from a job after commit
        started = time.perf_counter()
        with cursor.copy(f"COPY subjects_subject ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[arg-type]
            copy.write(data)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return len(lines) / seconds


def search_job() -> tuple[float, float, int]:
    """Run the job the import queued, as a worker would once the import has committed:
    (seconds, server CPU seconds, search rows written), the time until all are searchable."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    from subjects.models import SubjectSearch
    from subjects.tasks import index_subjects_for_search

    job = ProcrastinateJob.objects.filter(task_name="index_subjects_for_search").latest("id")
    before = SubjectSearch.objects.count()
    cpu = _backend_cpu()
    started = time.perf_counter()
    index_subjects_for_search(**job.args)
    seconds = time.perf_counter() - started
    return seconds, _backend_cpu() - cpu, SubjectSearch.objects.count() - before


MIGRATION = "subjects.migrations.0007_subject_search_table"
TRIGGERS = ("subject_search_insert", "subject_search_update", "subject_search_delete")


def _search_layout(layout: str) -> None:
    """The fresh copy's search as `layout` says (see index_cost)."""
    if layout == "deferred":
        return
    with connection.cursor() as cursor:
        for trigger in TRIGGERS:
            cursor.execute(f"DROP TRIGGER {trigger} ON subjects_subject")
        if layout == "inside":  # the insert trigger without its condition: never deferred
            cursor.execute(
                "CREATE TRIGGER subject_search_insert AFTER INSERT ON subjects_subject"
                " FOR EACH ROW EXECUTE FUNCTION subject_search_keep()"
            )
        if layout == "0005":
            cursor.execute(importlib.import_module(MIGRATION).OLD_INDEX)


def index_cost(databases: Databases, path: Path, rows: int, runs: int) -> None:
    """The import with each layout of the search: as migrated (subjects_subjectsearch, the
    import's subjects indexed by a job after commit, timed apart); the same table filled by the
    insert trigger inside the import (no deferral); no search at all (triggers dropped); and the
    one trigram index on subjects_subject of migration 0005, which 0007 replaced."""
    variants = [
        ("search table, indexed by the job after commit", "deferred"),
        ("search table, filled inside the import", "inside"),
        ("no search", "none"),
        ("0005: one index on subjects_subject", "0005"),
    ]
    for label, layout in variants:
        timings, cpu, job = [], [], []
        for _ in range(runs):
            databases.fresh()
            _search_layout(layout)
            timings.append(our_import(path)[0])
            cpu.append(SERVER_CPU[-1])
            if layout == "deferred":
                job.append(search_job())
        line = (
            f"  {label:46} {rows / statistics.median(timings):,.0f} rows/s, server CPU "
            f"{statistics.median(cpu):.2f} s"
        )
        if job:
            line += (
                f"; the job: {statistics.median(j[0] for j in job):.2f} s (server CPU "
                f"{statistics.median(j[1] for j in job):.2f} s, {job[-1][2]:,} rows)"
            )
        print(f"{line} (medians of {runs})")


def _peak_rss_kib() -> int:
    """VmHWM: this process's peak resident set size. (ru_maxrss would carry over the parent's
    peak across fork and exec on Linux, and the parent has just generated the file.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory_child(path: str, database: str) -> None:
    """Run in a subprocess: import `path` into `database`, print RSS before and at peak."""
    _use(database)
    from consents.models import Purpose
    from imports.services import ImportSource, mailing_list_import

    purpose = Purpose.objects.get(code="newsletter")
    before = _peak_rss_kib()
    tracemalloc.start()
    started = time.perf_counter()
    with open(path, "rb") as stream:
        report = mailing_list_import(
            sources=[ImportSource(Path(path).name, stream)], purpose=purpose, actor=None
        )
    seconds = time.perf_counter() - started
    _current, traced = tracemalloc.get_traced_memory()
    peak = _peak_rss_kib()
    print(f"{before} {peak} {traced} {report.totals()['rows']} {seconds:.1f}")


def measure_memory(databases: Databases, path: Path) -> tuple[float, float, float, int, float]:
    database = databases.fresh()
    connections["default"].close()
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--memory-child", str(path), database],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    before, peak, traced, rows, seconds = result.stdout.split()[-5:]
    return int(before) / 1024, int(peak) / 1024, int(traced) / 2**20, int(rows), float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slice", type=int, default=5_000, help="rows for import-export")
    parser.add_argument("--no-import-export", action="store_true", help="skip import-export")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 rows (memory)")
    parser.add_argument(
        "--index-cost",
        action="store_true",
        help="also import with each layout of the search (see index_cost)",
    )
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(*args.memory_child)
        return

    databases = Databases()
    work = Path(tempfile.mkdtemp(prefix="derbes-bench-"))
    try:
        path = write_list(work / "list.csv", args.rows)
        size = path.stat().st_size
        print(f"PostgreSQL: {connection.settings_dict['HOST']}, file {size:,} bytes, "
              f"{args.rows:,} rows, {os.cpu_count()} CPUs")  # fmt: skip
        timings, jobs = [], []
        for run in range(args.runs):
            databases.fresh()
            seconds, counts, statements, copies = our_import(path)
            timings.append(seconds)
            job_seconds, job_cpu, indexed = search_job()
            jobs.append(job_seconds)
            print(
                f"  run {run + 1}: {seconds:.2f} s, {args.rows / seconds:,.0f} rows/s, server CPU "
                f"{SERVER_CPU[-1]:.2f} s, waited {WAITED[-1]:.2f} s for the reader  {counts}; "
                f"then the search job: {job_seconds:.2f} s, "
                f"server CPU {job_cpu:.2f} s, {indexed:,} rows"
            )
        median = statistics.median(timings)
        print(f"our import: {args.rows / median:,.0f} rows/s (median of {args.runs}), "
              f"{statements} SQL statements + {copies} COPY streams; searchable "
              f"{statistics.median(jobs):.1f} s after commit (the search job, median)")  # fmt: skip
        print("  wall seconds per statement, per run (the COPY streams apart):")
        for kind, spent in sorted(STATEMENT_SECONDS.items(), key=lambda item: -item[1])[:6]:
            print(f"    {spent / args.runs:6.2f} s  {kind}")

        if not args.no_import_export:
            databases.fresh()
            seconds = import_export_row_by_row(args.slice)
            print(f"django-import-export row by row: {args.slice / seconds:,.0f} rows/s "
                  f"(first {args.slice:,} rows of the same file, {seconds:.1f} s)")  # fmt: skip

        databases.fresh()
        copy_rates = [raw_copy(args.rows) for _ in range(3)]
        print(f"raw COPY into subjects_subject: {statistics.median(copy_rates):,.0f} rows/s")
        if args.index_cost:
            index_cost(databases, path, args.rows, args.runs)

        sizes = [(path, args.rows)]
        if args.million:
            sizes.append((write_list(work / "million.csv", 1_000_000, seed=7), 1_000_000))
        for file, _rows in sizes:
            before, peak, traced, imported, seconds = measure_memory(databases, file)
            print(f"memory, {imported:,} rows: peak RSS {peak:.0f} MiB (VmHWM; {before:.0f} "
                  f"MiB once Django is loaded), Python allocations during the import "
                  f"{traced:.1f} MiB at peak (tracemalloc); took {seconds:.0f} s with "
                  f"tracemalloc on")  # fmt: skip
    finally:
        for file in work.iterdir():
            file.unlink()
        work.rmdir()
        databases.drop()


if __name__ == "__main__":
    main()

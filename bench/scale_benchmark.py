"""The register's heavy work at the size of a real register (PostgreSQL). Prints figures only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes_bench \
        .venv/bin/python manage.py generate_dataset --subjects 1000000   # once, into a new db
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes_bench \
        .venv/bin/python bench/scale_benchmark.py [--purpose newsletter] [--runs 5]

- the mailing-list export of a purpose, as the admin streams it (every row checked against the
  suppression list, an unsubscribe link signed per row), written to /dev/null, beside plain
  SQL selecting the same people without the suppression check (through a server-side cursor,
  and by `COPY (SELECT ...) TO STDOUT`), plain SQL selecting exactly the same rows (the
  suppression check on the stored digests; no links), and the process's
  memory before and after (VmRSS/VmHWM: flat means the stream holds no list);
- the access report of one subject (median of --runs subjects);
- the erasure of one subject through the service, rolled back (median of --runs subjects);
- `apply_retention --dry-run`.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from consents.exports import mailing_list_csv_lines  # noqa: E402
from consents.models import Purpose  # noqa: E402
from subjects.models import Subject  # noqa: E402


def _memory() -> str:
    status = Path("/proc/self/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return f"VmRSS {fields['VmRSS'].strip()}, VmHWM {fields['VmHWM'].strip()}"


PLAIN_SELECT = """
    SELECT s.email, s.last_name, s.first_name, s.patronymic, s.preferred_language
    FROM subjects_subject s
    WHERE s.state = 'active' AND s.email IS NOT NULL AND EXISTS (
        SELECT 1 FROM consents_consent c
        WHERE c.subject_id = s.id AND c.purpose_id = %s AND c.state = 'given')
    ORDER BY s.id
"""
PLAIN_COPY = f"COPY ({PLAIN_SELECT}) TO STDOUT WITH (FORMAT csv)"
# The same rows as the export, suppression included: since subjects keep the keyed digests of
# their e-mail and phone (subjects migration 0008), plain SQL can select exactly the list.
SAME_ROWS_SELECT = """
    SELECT s.id, s.email, s.last_name, s.first_name, s.patronymic, s.preferred_language
    FROM consents_consent c JOIN subjects_subject s ON s.id = c.subject_id
    WHERE c.purpose_id = %s AND c.state = 'given' AND s.state = 'active'
        AND s.email IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM consents_suppressionentry e WHERE e.kind = 'email'
                        AND e.digest = s.email_digest AND e.created_at >= c.given_at)
        AND NOT EXISTS (SELECT 1 FROM consents_suppressionentry e WHERE e.kind = 'phone'
                        AND e.digest = s.phone_digest AND e.created_at >= c.given_at)
    ORDER BY s.id
"""


def _read_through_cursor(sql: str, purpose: Purpose) -> tuple[int, float, float]:
    """Rows, seconds and this process's CPU seconds of `sql` read through a server-side cursor
    as plain SQL would be: the server's default settings, 5,000 rows a fetch."""
    started, cpu = time.perf_counter(), time.process_time()
    selected = 0
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [purpose.pk])
        while chunk := cursor.fetchmany(5000):
            selected += len(chunk)
    return selected, time.perf_counter() - started, time.process_time() - cpu


def bench_export(purpose: Purpose) -> None:
    print(f"memory before the export: {_memory()}")
    started, cpu = time.perf_counter(), time.process_time()
    rows = -1  # the header
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for text in mailing_list_csv_lines(purpose=purpose, actor=None):
            sink.write(text)
            rows += text.count("\r\n")  # the csv module ends every line so
    ours, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"memory after the export:  {_memory()}")
    started = time.perf_counter()
    size = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(PLAIN_COPY, [purpose.pk]) as copy,
    ):
        for block in copy:
            size += len(block)
    copied = time.perf_counter() - started
    selected, plain, plain_cpu = _read_through_cursor(PLAIN_SELECT, purpose)
    same, same_time, same_cpu = _read_through_cursor(SAME_ROWS_SELECT, purpose)
    print(
        f"mailing-list export of '{purpose.code}': {rows:,} rows in {ours:.1f} s "
        f"({rows / ours:,.0f} rows/s; this process's CPU {ours_cpu:.1f} s)\n"
        f"  the same people by plain SQL read into Python (a server-side cursor, no links, no "
        f"suppression check): {selected:,} rows in {plain:.1f} s (CPU {plain_cpu:.1f} s); "
        f"ratio {ours / plain:.2f}\n"
        f"  the same rows by plain SQL (suppression checked on the stored digests, no links): "
        f"{same:,} rows in {same_time:.1f} s (CPU {same_cpu:.1f} s); ratio {ours / same_time:.2f}\n"
        f"  the same people by COPY to nowhere (the floor): {copied:.1f} s ({size / 1e6:.0f} MB)"
    )


def _sample(runs: int) -> list[Subject]:
    total = Subject.objects.count()
    ids = [total * (n + 1) // (runs + 1) for n in range(runs)]
    return list(Subject.objects.filter(pk__in=ids, state="active"))


def bench_access_report(runs: int) -> None:
    from requests.access_report import access_report

    times, counts = [], []
    for subject in _sample(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            access_report(subject=subject)
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries))
    print(
        f"access report of one subject: median {statistics.median(times):.1f} ms "
        f"({', '.join(f'{t:.0f}' for t in times)}), {max(counts)} queries"
    )


def bench_erasure(runs: int) -> None:
    from erasure.services import subject_erase

    times, counts = [], []
    for subject in _sample(runs):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                subject_erase(subject=subject, actor=None, reason="benchmark")
                times.append((time.perf_counter() - started) * 1000)
            counts.append(len(queries))
            transaction.set_rollback(True)
    print(
        f"erasure of one subject (service, rolled back): median {statistics.median(times):.1f} ms"
        f" ({', '.join(f'{t:.0f}' for t in times)}), {max(counts)} queries"
    )


def bench_retention() -> None:
    started = time.perf_counter()
    out = io.StringIO()
    call_command("apply_retention", dry_run=True, stdout=out)
    elapsed = time.perf_counter() - started
    print(f"apply_retention --dry-run: {elapsed:.1f} s ({len(out.getvalue().splitlines())} lines)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--purpose", default="newsletter")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-access-report", action="store_true")
    parser.add_argument("--skip-erasure", action="store_true")
    parser.add_argument("--skip-retention", action="store_true")
    options = parser.parse_args()
    print(f"{Subject.objects.count():,} subjects")
    if not options.skip_access_report:
        bench_access_report(options.runs)
    if not options.skip_erasure:
        bench_erasure(options.runs)
    if not options.skip_retention:
        bench_retention()
    if not options.skip_export:
        for _run in range(options.runs):
            bench_export(Purpose.objects.get(code=options.purpose))


if __name__ == "__main__":
    main()

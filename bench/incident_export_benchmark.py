"""Export of a breach's affected list (PostgreSQL). Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes .venv/bin/python \
        bench/incident_export_benchmark.py [--subjects 100000]

Creates a scratch database (<name>_incident_bench), puts N subjects on one incident's affected
list (through `incident_subjects_add`, history included) and measures, median of three runs:
- the list as CSV (`incidents.exports.affected_csv_lines`, the streamed response's body);
- the list as XLSX (`incidents.exports.affected_xlsx`, openpyxl's write-only mode);
- a baseline: the same rows read at once into a list (a queryset without `.iterator()`) and
  written with `csv.writer` into memory, the way a view usually builds an export.
Peak Python allocations (tracemalloc) and SQL statements are reported for each.
"""

import argparse
import csv
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def _subjects(count: int) -> list[int]:
    from subjects.models import Source, Subject

    now = timezone.now()
    for start in range(0, count, 10_000):
        Subject.objects.bulk_create(
            Subject(
                last_name=f"Сапарова{n}", first_name="Әсем", patronymic="Болатқызы",
                email=f"bench{n}@example.kz", phone=f"+7702{n:07d}", iin=f"{n:012d}",
                source=Source.IMPORT, created_at=now, updated_at=now,
            )
            for n in range(start, min(count, start + 10_000))
        )  # fmt: skip
    return list(Subject.objects.values_list("pk", flat=True))


def _measure(label: str, run) -> None:
    """Time without tracemalloc (it slows Python down several times), then the memory apart."""
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            size = run()
            times.append(time.perf_counter() - started)
    tracemalloc.start()
    run()
    peaks = [tracemalloc.get_traced_memory()[1]]
    tracemalloc.stop()
    print(f"{label:<34} {statistics.median(times):6.2f} s   peak {max(peaks) / 2**20:6.1f} MiB"
          f"   {len(queries)} SQL   {size / 2**20:5.1f} MiB out")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=100_000)
    args = parser.parse_args()

    test_settings = connection.settings_dict.setdefault("TEST", {})
    test_settings["NAME"] = f"{connection.settings_dict['NAME']}_incident_bench"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from incidents import services
        from incidents.exports import affected_csv_lines, affected_xlsx
        from incidents.models import AffectedSource, AffectedSubject, IncidentKind
        from incidents.selectors import NOTICE_COLUMNS
        from subjects.models import Subject

        ids = _subjects(args.subjects)
        incident = services.incident_open(
            actor=None, reason="bench",
            data={"detected_at": timezone.now(), "detected_by": "bench", "kind":
                  IncidentKind.UNAUTHORISED_ACCESS, "description": "bench"},
        )  # fmt: skip
        started = time.perf_counter()
        services.incident_subjects_add(
            incident=incident, subject_ids=ids, source=AffectedSource.SELECTOR, actor=None
        )
        print(f"{len(ids):,} subjects put on the affected list (with history) in "
              f"{time.perf_counter() - started:.2f} s, given as a list of ids")  # fmt: skip
        other = services.incident_open(
            actor=None, reason="bench",
            data={"detected_at": timezone.now(), "detected_by": "bench", "kind":
                  IncidentKind.LOSS, "description": "bench"},
        )  # fmt: skip
        started = time.perf_counter()
        services.incident_subjects_add(
            incident=other,
            subject_ids=Subject.objects.values_list("pk", flat=True),
            source=AffectedSource.SELECTOR,
            actor=None,
        )
        print(f"{len(ids):,} subjects put on the affected list (with history) in "
              f"{time.perf_counter() - started:.2f} s, given as a queryset")  # fmt: skip

        def streamed_csv() -> int:
            return sum(len(line.encode()) for line in affected_csv_lines(incident, language="ru"))

        def xlsx() -> int:
            with affected_xlsx(incident, language="ru") as target:
                return target.seek(0, io.SEEK_END)

        def at_once() -> int:
            listed = AffectedSubject.objects.filter(incident=incident).values("subject_id")
            rows = list(Subject.objects.filter(pk__in=listed).values_list(*NOTICE_COLUMNS))
            buffer = io.StringIO()
            csv.writer(buffer).writerows(rows)
            return len(buffer.getvalue().encode())

        _measure("CSV, streamed (ours)", streamed_csv)
        _measure("XLSX, write-only (ours)", xlsx)
        _measure("baseline: list() + csv.writer", at_once)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()

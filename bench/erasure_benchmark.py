"""Erasure and retention benchmark (PostgreSQL). Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes .venv/bin/python \
        bench/erasure_benchmark.py

Creates a scratch test database (test_<name>), and measures:
- erasing a subject with 1,000 history rows (median of 3), beside a plain DELETE of the same rows
  (history included, with the guard lifted for the baseline only), the physical floor;
- retention over 100,000 subjects: finding the candidates, and erasing a sample of them.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

SUBJECTS = 100_000
HISTORY_ROWS = 1_000
SAMPLE = 200


def _subject_with_history(index: int):
    from common.history import save_with_history
    from subjects import services

    subject = services.subject_create(
        actor=None,
        reason="bench",
        data={"email": f"bench{index}@example.com", "last_name": "Беков", "source": "email"},
    )
    for step in range(HISTORY_ROWS - 1):
        subject.city = f"Алматы {step}"
        save_with_history(subject, actor=None, reason="bench edit")
    return subject


def bench_erasure() -> None:
    from common.history_guard import install_guards, remove_guards
    from erasure.services import subject_erase
    from subjects.models import Subject

    erase_times, queries = [], []
    for index in range(3):
        subject = _subject_with_history(index)
        assert Subject.history.filter(id=subject.pk).count() == HISTORY_ROWS
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            subject_erase(subject=subject, actor=None, reason="bench")
            erase_times.append(time.perf_counter() - started)
        queries.append(len(captured))

    delete_times = []
    for index in range(3, 6):
        subject = _subject_with_history(index)
        remove_guards()  # the baseline is what a plain DELETE costs without any protection
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM subjects_historicalsubject WHERE id = %s", [subject.pk])
            cursor.execute("DELETE FROM subjects_subject WHERE id = %s", [subject.pk])
        delete_times.append(time.perf_counter() - started)
        install_guards()

    print(f"Erasure of a subject with {HISTORY_ROWS:,} history rows:")
    print(f"  subject_erase  median {statistics.median(erase_times) * 1000:8.1f} ms"
          f"   ({statistics.median(queries)} queries)   target < 1000 ms")  # fmt: skip
    print(
        f"  plain DELETE   median {statistics.median(delete_times) * 1000:8.1f} ms"
        "   (baseline: forgets the audit trail too)"
    )


def _population() -> None:
    """100,000 subjects with one withdrawn consent each, half long past retention."""
    from consents.models import Consent, Purpose
    from subjects.models import Subject

    feedback = Purpose.objects.get(code="feedback")
    now = timezone.now()
    batch = 10_000
    for start in range(0, SUBJECTS, batch):
        subjects = Subject.objects.bulk_create(
            Subject(email=f"ret{i}@example.com", last_name="Ахметова", source="import")
            for i in range(start, start + batch)
        )
        Consent.objects.bulk_create(
            Consent(
                subject=subject,
                purpose=feedback,
                given_at=now - timedelta(days=900),
                method="import",
                state="withdrawn",
                withdrawn_at=now - timedelta(days=800 if i % 2 else 10),
                withdrawal_channel="letter",
            )
            for i, subject in enumerate(subjects)
        )


def bench_retention() -> None:
    from erasure.retention import retention_candidates
    from erasure.services import subject_erase
    from subjects.models import Subject

    started = time.perf_counter()
    _population()
    print(
        f"\nRetention over {SUBJECTS:,} subjects (set up in {time.perf_counter() - started:.1f} s):"
    )
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        candidates = retention_candidates()
        found = time.perf_counter() - started
    print(f"  finding candidates: {found * 1000:8.1f} ms, {len(candidates):,} found,"
          f" {len(captured)} queries")  # fmt: skip
    started = time.perf_counter()
    for candidate in candidates[:SAMPLE]:
        subject_erase(
            subject=Subject.objects.get(pk=candidate.subject_id), actor=None, reason="bench"
        )
    per_subject = (time.perf_counter() - started) / SAMPLE
    print(f"  erasing: {per_subject * 1000:.1f} ms per subject ({1 / per_subject:.0f} subjects/s,"
          f" measured on {SAMPLE}); all {len(candidates):,} would take"
          f" ~{per_subject * len(candidates) / 60:.0f} min in one nightly run")  # fmt: skip


def main() -> None:
    from django.conf import settings

    settings.ERASURE_JOURNAL_PATH = Path("/dev/null")
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        bench_erasure()
        bench_retention()
    finally:
        from common.history_guard import remove_guards

        remove_guards()
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()

"""Keeping the search table (subjects.models.SubjectSearch) filled where its triggers don't.

Triggers on subjects_subject keep it (subjects migration 0007) for every write, except the
subjects an import creates: computing their trigrams inside the import would cost it a third
of its speed. The import defers them (`search_defer`, for its own transaction) and enqueues a
job that indexes them right after it commits (`search_index_created`). The job writes only the
rows that are missing, so it can run twice, late or never: a periodic sweep fills whatever a
lost job left (`subject_search_fill` over every subject).

PostgreSQL only: the SQLite demo searches the subjects' own columns (subjects.selectors).
"""

from django.db import connection

from common import jobs

# Ids per statement of the fill: run by a job (autocommit), each commits on its own, so people
# become searchable as it goes and no statement holds a long transaction.
BATCH = 10_000
DEFERRED_SETTING = "derbes.subject_search_deferred"


def search_defer(deferred: bool = True) -> None:
    """Leave the subjects this transaction creates out of the search table (the insert
    trigger's condition) until `search_defer(False)`, or the transaction's end."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, true)", [DEFERRED_SETTING, "on" if deferred else ""]
        )


def search_index_created(first_id: int | None, last_id: int | None) -> None:
    """Enqueue, in the current transaction, the job that indexes subjects `first_id` to
    `last_id` (those this transaction created while deferred) once it commits."""
    if first_id is None or last_id is None:
        return
    from subjects.tasks import index_subjects_for_search

    jobs.job_defer(index_subjects_for_search, first_id=first_id, last_id=last_id)


def subject_search_fill(first_id: int | None = None, last_id: int | None = None) -> int:
    """Write the missing search rows of subjects `first_id` to `last_id` (all by default), a
    batch of ids per statement. Returns how many were written."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        if first_id is None or last_id is None:
            cursor.execute("SELECT min(id), max(id) FROM subjects_subject")
            first_id, last_id = cursor.fetchone()
        written = 0
        for start in range(first_id or 0, (last_id or -1) + 1, BATCH):
            cursor.execute(
                "INSERT INTO subjects_subjectsearch (subject_id, text, phone)"
                " SELECT s.id, subject_search_text(s.last_name, s.first_name, s.patronymic,"
                "   s.email, s.phone), s.phone"
                " FROM subjects_subject s WHERE s.id BETWEEN %s AND %s AND NOT EXISTS"
                "  (SELECT 1 FROM subjects_subjectsearch x WHERE x.subject_id = s.id)"
                # A subject changed meanwhile got its row from its trigger: that one stands.
                " ON CONFLICT (subject_id) DO NOTHING",
                [start, min(start + BATCH - 1, last_id)],
            )
            written += cursor.rowcount
    return written

"""Storing a submission and its creation history row in one PostgreSQL statement.

The webhook's answer waits for this and nothing else, so it is one round trip: a data-modifying
CTE inserts the row (nothing when (formid, tranid) is already held: the unique constraint
decides, also between concurrent retries) and, from what it inserted, the history row
simple-history would write (common.history_sql). A single statement is atomic without BEGIN and
COMMIT. tests/webforms/test_storing.py checks the history row field by field against
simple-history's.
"""

from django.db import connection
from django.utils import timezone

from common.history_sql import history_insert_sql, tracked_columns
from webforms.models import TildaSubmission

STORE_REASON = "Received from Tilda"


def submission_insert(submission: TildaSubmission) -> int | None:
    """Insert `submission` and its "+" history row; its id, or None when it was already held."""
    fields = [f for f in TildaSubmission._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(getattr(submission, f.attname), connection) for f in fields]
    columns = tracked_columns(TildaSubmission)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(TildaSubmission._meta.db_table)
    sql = (
        # Only names from the model's own metadata are formatted in; every value is a parameter.
        f"WITH stored AS (INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT DO NOTHING RETURNING id, {columns}) "
        f"{history_insert_sql(TildaSubmission, source='stored')} RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, timezone.now(), STORE_REASON, "+"])
        row = cursor.fetchone()
    return row[0] if row else None

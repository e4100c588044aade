"""Storing a submission and its creation history row in one PostgreSQL statement.

The webhook's answer waits for this and nothing else, so it is one round trip: a data-modifying
CTE inserts the row (nothing when (formid, tranid) is already held: the unique constraint
decides, also between concurrent retries) and, from what it inserted, the history row
simple-history would write. A single statement is atomic without BEGIN and COMMIT.
tests/webforms/test_storing.py checks the history row field by field against simple-history's.
"""

from django.db import connection
from django.utils import timezone

from webforms.models import TildaSubmission

STORE_REASON = "Received from Tilda"


def _columns() -> tuple[list, str, str]:
    fields = [f for f in TildaSubmission._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)  # type: ignore[arg-type]
    history = TildaSubmission.history.model._meta.db_table
    return fields, columns, history


def submission_insert(submission: TildaSubmission) -> int | None:
    """Insert `submission` and its "+" history row; its id, or None when it was already held."""
    fields, columns, history = _columns()
    quote = connection.ops.quote_name
    values = [f.get_db_prep_save(getattr(submission, f.attname), connection) for f in fields]
    placeholders = ", ".join(["%s"] * len(fields))
    table = quote(TildaSubmission._meta.db_table)
    sql = (
        # Only names from the model's own metadata are formatted in; every value is a parameter.
        f"WITH stored AS (INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT DO NOTHING RETURNING id, {columns}) "
        f"INSERT INTO {quote(history)} (id, {columns}, history_date, history_change_reason, "
        f"history_type, history_user_id) "
        f"SELECT id, {columns}, %s, %s, '+', NULL FROM stored RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, timezone.now(), STORE_REASON])
        row = cursor.fetchone()
    return row[0] if row else None

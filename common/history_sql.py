"""The history row simple-history would write, as SQL, for writes made in one statement.

A public endpoint that answers in bursts (the Tilda webhook, the one-click unsubscribe) writes
its rows with a data-modifying CTE instead of the ORM: one round trip instead of a dozen. The
rows it writes `RETURNING` feed this INSERT, so every write still leaves its history row, with
the same values simple-history takes from the instance (tests compare both field by field).
"""

from functools import lru_cache

from django.db import connection, models

# simple-history's own columns, after the tracked model's.
HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


# Cached: the text never changes while the process runs, and reaching the history model through
# its manager builds a manager class each time (most of a one-click POST's CPU before).
@lru_cache(maxsize=32)
def tracked_columns(model: type[models.Model]) -> str:
    """The model's columns but its primary key, quoted, comma-separated (the history's order)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return ", ".join(connection.ops.quote_name(f.column) for f in fields)  # type: ignore[arg-type]


@lru_cache(maxsize=32)
def history_insert_sql(model: type[models.Model], *, source: str) -> str:
    """INSERT of the history rows of `model` for every row of the CTE `source`, which returned
    `id` and tracked_columns(model). Parameters, in order: history_date, change reason, type
    ("+", "~" or "-"); the user is NULL (nobody on the staff acted)."""
    columns = tracked_columns(model)
    history = connection.ops.quote_name(model.history.model._meta.db_table)  # type: ignore[attr-defined]
    return (
        # Names come from the models' metadata only; every value is a parameter.
        f"INSERT INTO {history} (id, {columns}, {', '.join(HISTORY_COLUMNS)}) "  # noqa: S608
        f"SELECT id, {columns}, %s, %s, %s, NULL FROM {source}"
    )

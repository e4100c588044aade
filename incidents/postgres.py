"""The one set-based write of the breach register (PostgreSQL): affected subjects in bulk.

A selector's "everyone with data in X at processor Y" can name a whole database. Links and their
history rows are written by one INSERT ... SELECT, as the importer writes its own
(`imports.services.postgres`); `tests/incidents` check the history rows field by field.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import QuerySet

from incidents.models import AffectedSubject, Incident
from subjects.models import Subject


def affected_links_insert(
    incident: Incident,
    candidates: QuerySet[Subject],
    *,
    source: str,
    actor: User | None,
    at: datetime,
    reason: str,
) -> int:
    """INSERT ... SELECT of the links and, in the same statement, of their history rows.

    The history rows carry what simple-history would write (the row's values, the time, the
    reason, "+", the user), as the importer writes its own (`imports.services.postgres`).
    """
    quote = connection.ops.quote_name
    table = quote(AffectedSubject._meta.db_table)
    history = quote(AffectedSubject.history.model._meta.db_table)
    columns = "incident_id, subject_id, source, added_at, added_by_id"
    select_sql, select_params = candidates.order_by().values("pk").query.sql_with_params()
    sql = (
        f"WITH added AS (INSERT INTO {table} ({columns}) "  # noqa: S608 - names from the models
        f"SELECT %s, s.pk, %s, %s, %s FROM ({select_sql}) AS s(pk) "
        f"ON CONFLICT DO NOTHING RETURNING id, {columns}) "
        f"INSERT INTO {history} (id, {columns}, history_date, history_change_reason, "
        f"history_type, history_user_id) "
        f"SELECT id, {columns}, %s, %s, '+', %s FROM added"
    )
    actor_id = actor.pk if actor is not None else None
    params = [incident.pk, source, at, actor_id, *select_params, at, reason, actor_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount

"""Tables that are not the project's models, each declared with what it can hold of a person.

The personal-data registry (common.personal_data) covers the project's models; Django and the
libraries add tables of their own. Each of them is declared here, either with the reason it
holds nothing of a data subject or with the hook that erasure runs to forget the subject there.
A test fails when the database has a table that is neither a project model's nor declared here.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import connection, models
from django.utils.text import capfirst

from common.checks import project_models

# Rows about a person, by model: {Subject: {12}, ContactHandle: {40, 41}, ...}
ErasureScope = Mapping[type[models.Model], set[int]]


@dataclass(frozen=True)
class OutsideTable:
    table: str
    holds: str
    forget: Callable[[ErasureScope], int] | None = None


def private_label(model: type[models.Model], object_id: object) -> str:
    """How a row about a person is named outside its own table: kind and id, never a value."""
    return f"{capfirst(model._meta.verbose_name)} #{object_id}"


def _sanitised_change_message(message: str) -> str:
    """Django's change message with the names of inline rows taken out (they are str(row))."""
    try:
        entries = json.loads(message)
    except ValueError:
        return ""  # free text, written before messages were JSON: nothing can be kept
    if not isinstance(entries, list):
        return ""
    for entry in entries:
        for details in entry.values() if isinstance(entry, dict) else ():
            if isinstance(details, dict) and "object" in details:
                details["object"] = ""
    return json.dumps(entries)


def admin_log_forget(scope: ErasureScope) -> int:
    """Rename every admin log row about the person by kind and id; keep who did what, when."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    changed = 0
    for model, ids in scope.items():
        if not ids:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        entries = LogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(pk) for pk in ids]
        )
        for entry in entries.only("pk", "object_id", "change_message"):
            LogEntry.objects.filter(pk=entry.pk).update(
                object_repr=private_label(model, entry.object_id),
                change_message=_sanitised_change_message(entry.change_message),
            )
            changed += 1
    return changed


OUTSIDE_TABLES = {
    entry.table: entry
    for entry in (
        OutsideTable(
            "django_admin_log",
            "Names each object it logs. The admin writes kind and id only (common.admin); rows "
            "written before that are renamed by erasure.",
            admin_log_forget,
        ),
        OutsideTable(
            "django_session",
            "Staff sessions. Admin messages (which name objects) are kept in a signed cookie, "
            "never in the session (MESSAGE_STORAGE).",
        ),
        OutsideTable("django_content_type", "Model names."),
        OutsideTable("django_migrations", "Migration names."),
        OutsideTable("auth_permission", "Permission names."),
        OutsideTable("auth_group", "Role names."),
        OutsideTable("auth_group_permissions", "Links of roles and permissions."),
        OutsideTable("auth_user", "Staff accounts: the operator's employees, not data subjects."),
        OutsideTable("auth_user_groups", "Links of staff and roles."),
        OutsideTable("auth_user_user_permissions", "Links of staff and permissions."),
        OutsideTable(
            "axes_accessattempt",
            "Failed staff logins: username, IP, browser; passwords and tokens masked "
            "(AXES_SENSITIVE_PARAMETERS). Only the admin's login form feeds it.",
        ),
        OutsideTable("axes_accessattemptexpiration", "When a failed-login record expires."),
        OutsideTable("axes_accessfailurelog", "Failed staff logins, as above."),
        OutsideTable("axes_accesslog", "Staff logins and logouts: username, IP, browser."),
        OutsideTable("otp_totp_totpdevice", "Staff's TOTP devices (second factor)."),
        OutsideTable(
            "procrastinate_jobs",
            "Background jobs. An e-mail job holds its message and address until it is sent (the "
            "worker deletes sent jobs); erasure deletes the person's waiting and failed ones "
            "(common.jobs.mail_jobs_forget). Other jobs hold ids and timestamps.",
        ),
        OutsideTable("procrastinate_events", "When each job was queued, started and ended."),
        OutsideTable("procrastinate_periodic_defers", "Which periodic tick was queued."),
        OutsideTable("procrastinate_workers", "The running workers' heartbeats."),
        OutsideTable(
            "derbes_history_door",
            "The erasure door's allow-list of history columns (common.history_guard).",
        ),
    )
}


def outside_forget(scope: ErasureScope) -> dict[str, int]:
    """Run every declared erasure hook for the rows about one person; rows changed per table."""
    counts = {}
    for entry in OUTSIDE_TABLES.values():
        if entry.forget is not None:
            changed = entry.forget(scope)
            if changed:
                counts[entry.table] = changed
    return counts


def project_tables() -> set[str]:
    tables = set()
    for model in project_models():
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            tables.add(field.m2m_db_table())
    return tables


def undeclared_tables() -> list[str]:
    """Tables of the database (every schema but the catalogs) nobody has declared."""
    known = project_tables() | OUTSIDE_TABLES.keys()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            " AND table_schema NOT LIKE 'pg_toast%%' AND table_schema NOT LIKE 'pg_temp%%'"
        )
        found = cursor.fetchall()
    return sorted(
        f"{schema}.{table}" for schema, table in found if schema != "public" or table not in known
    )

"""A subject whose every personal value carries one marker, and a scan of the whole database."""

import secrets
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import connection

from common import personal_data

PHONE = "+77471234567"
IIN = "900101300017"


def new_marker() -> str:
    return "canary" + secrets.token_hex(6)


def marked_value(model_field, marker: str):
    """A value for `model_field` that carries `marker` (or a value unique enough to scan for)."""
    from django.db import models

    name = model_field.name
    if isinstance(model_field, models.EmailField):
        return f"{marker}@example.com"
    if isinstance(model_field, models.URLField):
        return f"https://{marker}.example.com/"
    if isinstance(model_field, models.FileField):
        return ContentFile(f"file of {marker}".encode(), name=f"{marker}.txt")
    if isinstance(model_field, models.JSONField):
        return {"comment": f"payload {marker}"}
    if name == "phone":
        return PHONE
    if name == "iin":
        return IIN
    if isinstance(model_field, models.DateField):
        return None  # a date cannot carry a marker: its blanking is asserted directly
    if name == "country":
        return "KZ"
    return f"{name} {marker}"


def marked_fields(model, marker: str) -> dict:
    classification = personal_data.classification_for(model)
    assert classification is not None, model
    values = {}
    for name in classification.personal:
        value = marked_value(model._meta.get_field(name), marker)
        if value is not None:
            values[name] = value
    return values


# Column types the scan reads as text (arrays are read whole, as their text form) ...
READ_TYPES = {
    "text", "character varying", "character", "name", "json", "jsonb", "ARRAY",
    "USER-DEFINED",  # enums (and composites), read through their text form
}  # fmt: skip
# ... and types that cannot hold a marker. Any other type fails the scan: it could hide one.
NO_TEXT_TYPES = {
    "smallint", "integer", "bigint", "numeric", "real", "double precision", "boolean", "date",
    "time without time zone", "timestamp with time zone", "timestamp without time zone",
    "interval", "uuid", "oid", "inet",
}  # fmt: skip


class UnreadableColumn(AssertionError):
    """A column the scan cannot read for markers: teach the scan its type first."""


def _session_text(value: str) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    return repr(SessionStore().decode(value))


# Columns whose values are encoded: read through their decoder, not as stored.
DECODED = {("public", "django_session", "session_data"): _session_text}


def database_columns() -> list[tuple[str, str, str, str]]:
    """(schema, table, column, type) of every base table in every schema but the catalogs."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_schema, c.table_name, c.column_name, c.data_type"
            " FROM information_schema.columns c JOIN information_schema.tables t"
            "  ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
            " WHERE t.table_type = 'BASE TABLE'"
            " AND c.table_schema NOT IN ('pg_catalog', 'information_schema')"
            " AND c.table_schema NOT LIKE 'pg_toast%%' AND c.table_schema NOT LIKE 'pg_temp%%'"
            " ORDER BY 1, 2, 3"
        )
        return cursor.fetchall()


def database_hits(needles: list[str]) -> dict[str, int]:
    """(table.column) -> rows holding any needle, in any case, over every column of every table
    (all schemas but the catalogs): text, JSON and arrays as text, bytea decoded, sessions
    decoded. Raises UnreadableColumn for a column of a type it does not know how to read."""
    hits: dict[str, int] = {}
    with connection.cursor() as cursor:
        for schema, table, column, data_type in database_columns():
            name = f'"{schema}"."{table}"'
            label = f"{table}.{column}" if schema == "public" else f"{schema}.{table}.{column}"
            decoder = DECODED.get((schema, table, column))
            if decoder is not None:
                cursor.execute(f'SELECT "{column}" FROM {name}')  # noqa: S608 (catalog names)
                values = [decoder(row[0]) for row in cursor.fetchall() if row[0]]
                count = sum(any(n.lower() in value.lower() for n in needles) for value in values)
            elif data_type in READ_TYPES or data_type == "bytea":
                expression = (
                    f"encode(\"{column}\", 'escape')"
                    if data_type == "bytea"
                    else f'"{column}"::text'
                )
                # In any case: a copy may be upper-cased (the search text, subjects.SubjectSearch).
                conditions = " OR ".join([f"{expression} ILIKE %s"] * len(needles))
                cursor.execute(
                    f"SELECT count(*) FROM {name} WHERE {conditions}",  # noqa: S608 (catalog names)
                    [f"%{needle}%" for needle in needles],
                )
                count = cursor.fetchone()[0]
            elif data_type in NO_TEXT_TYPES:
                continue
            else:
                raise UnreadableColumn(f"{label} is of type {data_type}")
            if count:
                hits[label] = count
    return hits


def _file_texts(content: bytes) -> list[bytes]:
    """The file as stored, and, for a mail message, its headers and parts decoded."""
    import email
    import email.policy

    texts = [content]
    if content[:200].count(b":") >= 2:  # looks like headers: try it as a message
        try:
            message = email.message_from_bytes(content, policy=email.policy.default)
            texts += [str(value).encode() for value in message.values()]
            for part in message.walk():
                payload = part.get_payload(decode=True)
                if payload:
                    texts.append(payload)  # type: ignore[arg-type]
        except Exception:  # noqa: S110 (not a message after all: the bytes were read)
            pass
    return texts


def media_hits(root: Path, needles: list[str]) -> list[str]:
    found = []
    for path in root.rglob("*") if root.exists() else []:
        if path.is_file():
            texts = _file_texts(path.read_bytes())
            if any(n in path.name or any(n.encode() in t for t in texts) for n in needles):
                found.append(str(path.relative_to(root)))
    return found


def history_counts() -> dict[str, int]:
    from common.history_guard import history_models

    return {m._meta.db_table: m._default_manager.count() for m in history_models()}

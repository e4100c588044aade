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
    values = {}
    for name in classification.personal:  # type: ignore[union-attr]
        value = marked_value(model._meta.get_field(name), marker)
        if value is not None:
            values[name] = value
    return values


def database_hits(needles: list[str]) -> dict[str, int]:
    """(table.column) -> rows holding any needle, over every text, JSON and bytea column."""
    hits: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public'"
            " AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea')"
        )
        columns = cursor.fetchall()
        for table, column, data_type in columns:
            expression = (
                f"encode(\"{column}\", 'escape')" if data_type == "bytea" else f'"{column}"::text'
            )
            conditions = " OR ".join([f"{expression} LIKE %s"] * len(needles))
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE {conditions}',  # noqa: S608 (catalog names)
                [f"%{needle}%" for needle in needles],
            )
            count = cursor.fetchone()[0]
            if count:
                hits[f"{table}.{column}"] = count
    return hits


def media_hits(root: Path, needles: list[str]) -> list[str]:
    found = []
    for path in root.rglob("*") if root.exists() else []:
        if path.is_file():
            content = path.read_bytes()
            if any(n.encode() in content or n in path.name for n in needles):
                found.append(str(path.relative_to(root)))
    return found


def history_counts() -> dict[str, int]:
    from common.history_guard import history_models

    return {m._meta.db_table: m.objects.count() for m in history_models()}  # type: ignore[attr-defined]

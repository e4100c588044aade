"""Trigram indexes for the subject search (PostgreSQL only; the SQLite demo has no pg_trgm).

The admin searches with `icontains`, which Django writes as `UPPER(col::text) LIKE UPPER(%s)`
with the term between wildcards: only a trigram GIN index on the same expression serves it (a
B-tree, or a trigram index on the bare column, is never used). The phone is searched as typed
digits with `contains` (subjects.search), so its index is on the bare column. The indexes are
not declared in the models (that would need django.contrib.postgres and fail on SQLite).
"""

from django.db import migrations

INDEXES = {
    "subject_email_upper_trgm": "UPPER(email) gin_trgm_ops",
    "subject_last_name_upper_trgm": "UPPER(last_name) gin_trgm_ops",
    "subject_first_name_upper_trgm": "UPPER(first_name) gin_trgm_ops",
    "subject_patronymic_upper_trgm": "UPPER(patronymic) gin_trgm_ops",
    "subject_phone_trgm": "phone gin_trgm_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON subjects_subject USING gin ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("subjects", "0003_audit_history")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]

"""Trigram indexes for the subject search (PostgreSQL only; the SQLite demo has no pg_trgm).

The admin searches with `icontains`, which Django writes as `UPPER(col::text) LIKE UPPER(%s)`
with the term between wildcards: only a trigram GIN index on the same expression serves it (a
B-tree, or a trigram index on the bare column, is never used). A name is searched word by word
in the whole name and e-mail at once (subjects.selectors.SEARCH_TEXT_SQL): one index answers
every word together, where one index per column makes the planner guess. The phone is searched
as typed digits (`contains`, or `startswith` for a number typed from its start: the B-tree).
The indexes are not declared in the models: that would need django.contrib.postgres, and fail
on SQLite.
"""

from django.db import migrations

# Must stay the expression of subjects.selectors.SEARCH_TEXT_SQL, or the index is not used.
SEARCH_TEXT_SQL = (
    "last_name || ' ' || first_name || ' ' || patronymic || ' ' || COALESCE(email, '')"
)
INDEXES = {
    "subject_email_upper_trgm": "USING gin (UPPER(email) gin_trgm_ops)",
    "subject_search_upper_trgm": f"USING gin (UPPER({SEARCH_TEXT_SQL}) gin_trgm_ops)",
    "subject_phone_trgm": "USING gin (phone gin_trgm_ops)",
    "subject_phone_prefix": "(phone varchar_pattern_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON subjects_subject {expression}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("subjects", "0003_audit_history")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]

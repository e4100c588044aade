"""One trigram index for every subject search, instead of four (PostgreSQL only).

Migration 0004 gave the search an index per way of typing: the name and e-mail together, the
e-mail alone, the phone as trigrams and the phone as a B-tree. Every subject an import writes
pays for each of them, and the import of a 100,000-row list fell from ~21,800 to ~13,800 rows/s
(bench/README.md). Each of those searches is now answered by the one index over the whole name,
the e-mail and the phone (subjects.selectors.SEARCH_TEXT_SQL): "@" is only ever in the e-mail
and "+" only in the phone, so an e-mail or a phone fragment matches where it should; the
selector then checks the field itself (the index finds, the field decides).
"""

from django.db import migrations

# Must stay the expression of subjects.selectors.SEARCH_TEXT_SQL, or the index is not used.
SEARCH_TEXT_SQL = (
    "last_name || ' ' || first_name || ' ' || patronymic || ' ' || COALESCE(email, '')"
    " || ' ' || phone"
)
OLD_SEARCH_TEXT_SQL = (
    "last_name || ' ' || first_name || ' ' || patronymic || ' ' || COALESCE(email, '')"
)
OLD_INDEXES = {
    "subject_email_upper_trgm": "USING gin (UPPER(email) gin_trgm_ops)",
    "subject_search_upper_trgm": f"USING gin (UPPER({OLD_SEARCH_TEXT_SQL}) gin_trgm_ops)",
    "subject_phone_trgm": "USING gin (phone gin_trgm_ops)",
    "subject_phone_prefix": "(phone varchar_pattern_ops)",
}
INDEX = "subject_search_trgm"


def one_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON subjects_subject "
        f"USING gin (UPPER({SEARCH_TEXT_SQL}) gin_trgm_ops)"
    )


def four_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    for name, expression in OLD_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON subjects_subject {expression}")


class Migration(migrations.Migration):
    dependencies = [("subjects", "0004_subject_search_trigram_indexes")]

    operations = [migrations.RunPython(one_index, four_indexes)]

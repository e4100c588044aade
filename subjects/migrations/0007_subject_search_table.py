"""The search text in a table of its own, kept by triggers (PostgreSQL only for the triggers).

Migration 0005's trigram index on subjects_subject made every subject an import writes pay for
its trigrams inside the import (the import fell from ~21,800 to ~12,400 rows/s, bench/README.md).
The text now lives in subjects_subjectsearch, kept by triggers on subjects_subject: an INSERT
writes the subject's row there, unless the transaction has set `derbes.subject_search_deferred`
(the import does, and enqueues a job that indexes its subjects right after commit:
subjects.search); an UPDATE of a name, the e-mail or the phone rewrites it, always; a DELETE
deletes it. The phone gets a B-tree there again, for a number typed from its start.

The triggers come first, then the rows of the existing subjects, then the indexes (faster on a
full table): a subject written while this runs waits for the trigger's lock and is kept by it.
"""

from django.db import migrations, models

# Both sides of every comparison upper-case with PostgreSQL's UPPER (never Python's): the search
# (subjects.selectors) compares this text with UPPER(the word typed).
FUNCTIONS = """
CREATE OR REPLACE FUNCTION subject_search_text(
    last_name text, first_name text, patronymic text, email text, phone text
) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT UPPER(last_name || ' ' || first_name || ' ' || patronymic || ' '
                 || COALESCE(email, '') || ' ' || phone)
$$;

CREATE OR REPLACE FUNCTION subject_search_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM subjects_subjectsearch WHERE subject_id = OLD.id;
        RETURN NULL;
    END IF;
    -- An upsert for both INSERT and UPDATE: a subject the deferred job has not reached yet gets
    -- its row from its first change, and a job that runs at the same time does nothing to it
    -- (subjects.search inserts ON CONFLICT DO NOTHING).
    INSERT INTO subjects_subjectsearch (subject_id, text, phone)
    VALUES (NEW.id, subject_search_text(NEW.last_name, NEW.first_name, NEW.patronymic,
                                        NEW.email, NEW.phone), NEW.phone)
    ON CONFLICT (subject_id) DO UPDATE SET text = EXCLUDED.text, phone = EXCLUDED.phone;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER subject_search_insert AFTER INSERT ON subjects_subject FOR EACH ROW
    WHEN (COALESCE(current_setting('derbes.subject_search_deferred', true), '') <> 'on')
    EXECUTE FUNCTION subject_search_keep();
CREATE OR REPLACE TRIGGER subject_search_update
    AFTER UPDATE OF last_name, first_name, patronymic, email, phone ON subjects_subject
    FOR EACH ROW
    WHEN ((OLD.last_name, OLD.first_name, OLD.patronymic, OLD.email, OLD.phone)
          IS DISTINCT FROM (NEW.last_name, NEW.first_name, NEW.patronymic, NEW.email, NEW.phone))
    EXECUTE FUNCTION subject_search_keep();
CREATE OR REPLACE TRIGGER subject_search_delete AFTER DELETE ON subjects_subject FOR EACH ROW
    EXECUTE FUNCTION subject_search_keep();
"""
FILL = """
INSERT INTO subjects_subjectsearch (subject_id, text, phone)
SELECT id, subject_search_text(last_name, first_name, patronymic, email, phone), phone
FROM subjects_subject
ON CONFLICT (subject_id) DO NOTHING
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS subject_search_text_trgm ON subjects_subjectsearch USING gin (text gin_trgm_ops);
CREATE INDEX IF NOT EXISTS subject_search_phone_prefix ON subjects_subjectsearch (phone varchar_pattern_ops);
"""
OLD_INDEX = (
    "CREATE INDEX IF NOT EXISTS subject_search_trgm ON subjects_subject USING gin (UPPER("
    "last_name || ' ' || first_name || ' ' || patronymic || ' ' || COALESCE(email, '')"
    " || ' ' || phone) gin_trgm_ops)"
)


# Each statement may run again on a database that has them (tests seed again after a flush by
# running every migration's RunPython).
def to_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    schema_editor.execute(FILL)
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    schema_editor.execute(INDEXES)
    schema_editor.execute("DROP INDEX IF EXISTS subject_search_trgm")
    # Statistics now, not when autovacuum comes by: the searches' plans depend on them.
    schema_editor.execute("ANALYZE subjects_subjectsearch")


def to_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS subject_search_insert ON subjects_subject;"
        "DROP TRIGGER IF EXISTS subject_search_update ON subjects_subject;"
        "DROP TRIGGER IF EXISTS subject_search_delete ON subjects_subject;"
        "DROP FUNCTION IF EXISTS subject_search_keep();"
        "DROP FUNCTION IF EXISTS subject_search_text(text, text, text, text, text);"
    )
    schema_editor.execute(OLD_INDEX)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0006_agreement_view_place_labels")]

    operations = [
        migrations.CreateModel(
            name="SubjectSearch",
            fields=[
                (
                    "subject",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="subjects.subject",
                        verbose_name="data subject",
                    ),
                ),
                ("text", models.TextField(blank=True, verbose_name="search text")),
                ("phone", models.CharField(blank=True, max_length=20, verbose_name="phone")),
            ],
            options={
                "verbose_name": "search entry of a subject",
                "verbose_name_plural": "search entries of subjects",
            },
        ),
        migrations.RunPython(to_table, to_index),
    ]

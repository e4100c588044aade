"""Keyed digests of each subject's e-mail and phone, filled for the subjects already held, and
(PostgreSQL) the trigger that keeps them from going stale."""

from django.db import migrations

import subjects.contact_digests
from subjects.contact_digests import DROP_TRIGGER_SQL, TRIGGER_SQL, contact_digests_fill


def fill(apps, schema_editor):
    table = apps.get_model("subjects", "Subject")._meta.db_table
    contact_digests_fill(schema_editor.connection, table=table)


def trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL)


def trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("subjects", "0007_subject_search_table"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=model,
                name=f"{source}_digest",
                field=subjects.contact_digests.ContactDigestField(source=source, verbose_name=label),
            )
            for model in ("historicalsubject", "subject")
            for source, label in (("email", "e-mail digest"), ("phone", "phone digest"))
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(trigger_create, trigger_drop),
    ]

"""The erasure door blanks only (table, column) pairs of an allow-list the owner writes.

The list itself is filled after every `migrate` from the personal-data registry
(common.history_guard.install_door_allow_list); this creates the table and the new door.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from common.history_guard import DOOR_TABLE_SQL, GUARD_FUNCTIONS_SQL

    schema_editor.execute(DOOR_TABLE_SQL, params=None)
    schema_editor.execute(GUARD_FUNCTIONS_SQL, params=None)  # no %-interpolation


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from common.history_guard import DOOR_TABLE

    # The door refuses every table without its allow-list: closed, never open to anything.
    schema_editor.execute(f"DROP TABLE IF EXISTS {DOOR_TABLE}", params=None)


class Migration(migrations.Migration):
    dependencies = [("common", "0003_audit_history")]

    operations = [migrations.RunPython(create, drop)]

"""PostgreSQL functions that make history tables append-only (see common.history_guard)."""

from django.db import migrations


def create_functions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from common.history_guard import GUARD_FUNCTIONS_SQL

    schema_editor.execute(GUARD_FUNCTIONS_SQL, params=None)  # no %-interpolation


def drop_functions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from common.history_guard import DROP_FUNCTIONS_SQL

    schema_editor.execute(DROP_FUNCTIONS_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_functions, drop_functions)]

"""History tables are append-only in PostgreSQL; only the erasure door may blank values in them.

Two functions live in the database (created by migration common.0001):
- `derbes_history_guard()`, a trigger on every history table that refuses UPDATE, DELETE and
  TRUNCATE. The triggers are ENABLE ALWAYS, so `session_replication_role = replica` (the usual
  way libraries and tools skip triggers) does not switch them off.
- `derbes_history_blank(table, columns, history_ids)`, the erasure door: SECURITY DEFINER, so it
  runs as the schema owner, and it can set values to NULL or empty only, never write new ones. In
  production the application's role may INSERT and SELECT history, nothing else, and may EXECUTE
  this function (see `manage.py harden_database_roles`).
Key rotation (common.key_rotation) rewrites ciphertext in history with `open_history_door()`
instead: it runs as the role that owns the tables, like `migrate`.

Triggers are (re)installed after every `migrate` for every history table of the project, so a
new tracked model is guarded from its first migration on.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

from common import personal_data
from common.checks import project_models

GUARD_TRIGGER = "derbes_history_guard_row"
TRUNCATE_TRIGGER = "derbes_history_guard_truncate"

GUARD_FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION derbes_history_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('derbes.history_door', true) = 'open' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'history is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Personal data in history is blanked only by the erasure service.';
END
$$;

CREATE OR REPLACE FUNCTION derbes_history_blank(
    p_table regclass, p_columns text[], p_history_ids bigint[]
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_table name;
    v_assignments text := '';
    v_column record;
    v_count integer;
BEGIN
    -- Trust nothing the caller names: only a table of the schema `public`, owned by this
    -- function's owner, guarded by the project's own trigger function, that the owner's
    -- allow-list names (written after every migrate).
    SELECT c.relname INTO v_table
    FROM pg_class c
    WHERE c.oid = p_table
      AND c.relnamespace = 'public'::regnamespace
      AND c.relowner = (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user)
      AND EXISTS (SELECT 1 FROM public.derbes_history_door d WHERE d.table_name = c.relname)
      AND EXISTS (
          SELECT 1 FROM pg_trigger t
          WHERE t.tgrelid = c.oid AND t.tgname = 'derbes_history_guard_row'
            AND t.tgfoid = 'public.derbes_history_guard()'::regprocedure
      );
    IF v_table IS NULL THEN
        RAISE EXCEPTION '% is not a guarded history table', p_table
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR v_column IN
        SELECT a.attname, a.attnotnull, format_type(a.atttypid, a.atttypmod) AS type_name,
               d.column_name IS NOT NULL AS allowed
        FROM pg_attribute a
        LEFT JOIN public.derbes_history_door d
            ON d.table_name = v_table AND d.column_name = a.attname
        WHERE a.attrelid = p_table AND a.attname = ANY (p_columns)
          AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
        IF v_column.attname LIKE 'history\_%' THEN
            RAISE EXCEPTION 'the audit columns of % are never blanked', v_table
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT v_column.allowed THEN
            RAISE EXCEPTION 'column % of % is not personal data in the registry',
                v_column.attname, v_table USING ERRCODE = 'insufficient_privilege';
        END IF;
        v_assignments := v_assignments || CASE WHEN v_assignments = '' THEN '' ELSE ', ' END
            || format('%I = ', v_column.attname)
            || CASE
                WHEN NOT v_column.attnotnull THEN 'NULL'
                WHEN v_column.type_name IN ('jsonb', 'json') THEN '''{}'''
                WHEN v_column.type_name LIKE 'character%' OR v_column.type_name = 'text' THEN ''''''
                ELSE NULL
            END;
        IF v_assignments IS NULL THEN
            RAISE EXCEPTION 'column % of % can be neither NULL nor empty',
                v_column.attname, v_table;
        END IF;
    END LOOP;
    IF v_assignments = '' THEN
        RETURN 0;
    END IF;
    PERFORM set_config('derbes.history_door', 'open', true);
    EXECUTE format('UPDATE public.%I SET %s WHERE history_id = ANY ($1)', v_table, v_assignments)
        USING p_history_ids;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    PERFORM set_config('derbes.history_door', '', true);
    RETURN v_count;
END
$$;
"""

# The door's allow-list: (history table, column) pairs it may blank. Owned by the owner role,
# rewritten from the personal-data registry after every `migrate`; the application's role may
# not read or write it (see erasure.roles_sql). Not a Django model: flush and dumpdata skip it.
DOOR_TABLE = "derbes_history_door"
DOOR_TABLE_SQL = f"""
CREATE TABLE IF NOT EXISTS {DOOR_TABLE} (
    table_name name NOT NULL,
    column_name name NOT NULL,
    PRIMARY KEY (table_name, column_name)
);
"""

DROP_FUNCTIONS_SQL = """
DROP FUNCTION IF EXISTS derbes_history_blank(regclass, text[], bigint[]);
DROP FUNCTION IF EXISTS derbes_history_guard() CASCADE;
"""


def history_models() -> list[type[models.Model]]:
    return [m for m in project_models() if getattr(m, "instance_type", None) is not None]


def install_guards(tables: Iterable[str] | None = None) -> list[str]:
    """Create the guard triggers on history tables (all of the project's by default). Idempotent."""
    if connection.vendor != "postgresql":
        return []  # the demo's SQLite has no such guarantee; production and CI are PostgreSQL
    existing = set(connection.introspection.table_names())
    names = [t for t in (tables or [m._meta.db_table for m in history_models()]) if t in existing]
    with connection.cursor() as cursor:
        for table in names:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"DROP TRIGGER IF EXISTS {GUARD_TRIGGER} ON {quoted};"
                f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {quoted};"
                f"CREATE TRIGGER {GUARD_TRIGGER} BEFORE UPDATE OR DELETE ON {quoted}"
                " FOR EACH ROW EXECUTE FUNCTION derbes_history_guard();"
                f"CREATE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {quoted}"
                " FOR EACH STATEMENT EXECUTE FUNCTION derbes_history_guard();"
                f"ALTER TABLE {quoted} ENABLE ALWAYS TRIGGER {GUARD_TRIGGER};"
                f"ALTER TABLE {quoted} ENABLE ALWAYS TRIGGER {TRUNCATE_TRIGGER};"
            )
    install_door_allow_list()
    return names


def door_allow_list() -> list[tuple[str, str]]:
    """(history table, column) of every personal field the registry names, and nothing else.

    Links (the subject, the consent...) are never in it, even if a registry entry called one
    personal: erasure finds the rows to blank through them.
    """
    pairs: list[tuple[str, str]] = []
    for history in history_models():
        classification = personal_data.classification_for(history)
        for name in classification.personal if classification else ():
            field = history._meta.get_field(name)
            # A link (forward or reverse) is no column to blank: erasure goes through it.
            if not isinstance(field, models.Field) or field.is_relation or field.column is None:
                continue
            if name not in personal_data.HISTORY_FIELDS:
                pairs.append((history._meta.db_table, field.column))
    return sorted(pairs)


def install_door_allow_list() -> None:
    """Rewrite the door's allow-list from the registry (as the owner, after every migrate)."""
    if connection.vendor != "postgresql":
        return
    if DOOR_TABLE not in connection.introspection.table_names():
        return  # migrated back to before common.0004
    pairs = door_allow_list()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DOOR_TABLE}")  # noqa: S608 (the table name is a constant)
        cursor.executemany(
            f"INSERT INTO {DOOR_TABLE} (table_name, column_name)"  # noqa: S608 (a constant name)
            " VALUES (%s, %s)",
            pairs,
        )


def open_history_door() -> None:
    """Let this transaction UPDATE history rows (the setting ends with the transaction).

    Only the tables' owner gets past the guard this way: the application's role in production
    may not UPDATE history at all.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('derbes.history_door', 'open', true)")


def history_blank(
    history_model: type[models.Model], *, columns: Sequence[str], history_ids: Sequence[int]
) -> int:
    """Blank `columns` in the given history rows, through the door; returns the rows changed."""
    if not columns or not history_ids:
        return 0
    table = history_model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT derbes_history_blank(%s::regclass, %s, %s)",
                [connection.ops.quote_name(table), list(columns), list(history_ids)],
            )
            blanked: int = cursor.fetchone()[0]
            return blanked
        # SQLite (demo only): no triggers to pass, the same blanking done directly.
        fields = {f.column: f for f in history_model._meta.concrete_fields}
        assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
        values = [_empty(fields[c]) for c in columns]
        placeholders = ", ".join(["%s"] * len(history_ids))
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(table)} SET {assignments}"  # noqa: S608 (names are quoted model metadata)
            f" WHERE history_id IN ({placeholders})",
            [*values, *history_ids],  # type: ignore[list-item]
        )
        changed: int = cursor.rowcount
        return changed


def _empty(field: "models.Field[Any, Any]") -> object:
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        return "{}"
    return ""


def remove_guards() -> None:
    """Drop the guard triggers (tests only: Django empties test databases with TRUNCATE)."""
    if connection.vendor != "postgresql":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in (m._meta.db_table for m in history_models()):
            if table in existing:
                quoted = connection.ops.quote_name(table)
                cursor.execute(
                    f"DROP TRIGGER IF EXISTS {GUARD_TRIGGER} ON {quoted};"
                    f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {quoted};"
                )

"""The database grants that make the audit trail immutable for the application itself.

Run as the owner role (the one that runs migrations), after every `migrate`: the application's
role may read and write the registers, may only SELECT and INSERT history and erasure-log rows,
and may blank history values only through the door function `derbes_history_blank`.
"""

from django.db import connection

from common.history_guard import DOOR_TABLE, history_models
from erasure.models import ErasureLog

DOOR_FUNCTION = "derbes_history_blank(regclass, text[], bigint[])"


def hardening_statements(app_role: str) -> list[str]:
    quote = connection.ops.quote_name
    role = quote(app_role)
    append_only = [m._meta.db_table for m in history_models()] + [ErasureLog._meta.db_table]
    statements = [
        # No object of the role's own may sit where the owner's code looks (CVE-2018-1058).
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE CREATE ON SCHEMA public FROM {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
    ]
    statements += [f"REVOKE UPDATE, DELETE ON {quote(table)} FROM {role}" for table in append_only]
    # The door's allow-list is the owner's alone: the role may neither read nor widen it.
    statements += [f"REVOKE ALL ON {quote(DOOR_TABLE)} FROM {role}"]
    statements += [
        f"REVOKE ALL ON FUNCTION {DOOR_FUNCTION} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {DOOR_FUNCTION} TO {role}",
    ]
    return statements

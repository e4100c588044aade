"""One query that changes whenever any row of any table changes: "did this request write?"."""

from django.db import connection

# Written by every request of a logged-in user (the idle timeout), whatever the request does.
IGNORED = {"django_session"}


def database_fingerprint() -> str:
    """A digest of every row of every table (small test databases only), in one query."""
    tables = sorted(set(connection.introspection.table_names()) - IGNORED)
    quote = connection.ops.quote_name
    digest = "md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
    parts = ", ".join(f"(SELECT {digest} FROM {quote(name)} t)" for name in tables)  # noqa: S608 (names from the catalog)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT md5(concat_ws(',', {parts}))")
        return cursor.fetchone()[0]

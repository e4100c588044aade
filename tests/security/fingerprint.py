"""One query that tells, per table, whether any row changed: "did this request write?"."""

from django.db import connection

# Written by every request of a logged-in user (the idle timeout), whatever the request does.
IGNORED = {"django_session"}


def database_fingerprint() -> dict[str, str]:
    """Table -> a digest of all its rows (small test databases only), in one query.

    Compared before and after, a difference names the tables that were written.
    """
    tables = sorted(set(connection.introspection.table_names()) - IGNORED)
    quote = connection.ops.quote_name
    digest = "md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
    parts = ", ".join(f"(SELECT {digest} FROM {quote(name)} t)" for name in tables)  # noqa: S608 (names from the catalog)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))

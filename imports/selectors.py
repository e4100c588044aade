"""Reads over what imports keep."""

from django.db import connection

from common.mentions import Mentions
from imports.models import RejectedRow


def rejected_rows_naming(mentions: Mentions) -> set[int]:
    """The rejected rows linked to no subject whose cells name the person: a row is linked when
    the registers knew its address at the import, and the person may have come later (erasure
    reaches the linked ones by the link)."""
    if not mentions:
        return set()
    unlinked = RejectedRow.objects.filter(subject=None)
    if connection.vendor != "postgresql":
        return {
            pk for pk, cells in unlinked.values_list("pk", "cells") if mentions(" ".join(cells))
        }
    # Read by the server: the cells as JSON text, the addresses as they are written (an e-mail
    # has no character JSON escapes), a phone by its last ten digits among all the row's digits.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM imports_rejectedrow r WHERE r.subject_id IS NULL AND ("
            " EXISTS (SELECT 1 FROM unnest(%s::text[]) e"
            "  WHERE position(e IN lower(r.cells::text)) > 0)"
            " OR EXISTS (SELECT 1 FROM unnest(%s::text[]) p"
            "  WHERE position(p IN regexp_replace(r.cells::text, '\\D', '', 'g')) > 0))",
            [mentions.emails, mentions.phones],
        )
        return {row[0] for row in cursor.fetchall()}

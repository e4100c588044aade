"""The one-click unsubscribe's writes in one PostgreSQL statement.

A mailing to 100,000 people brings bursts of RFC 8058 POSTs. Through the ORM each cost 29-33
statements (savepoints, `full_clean()`'s constraint checks, the locked read, the update, the
"already suppressed?" look-ups, the inserts, their history rows), each a round trip that waits
for a CPU on a loaded server. Here a data-modifying CTE does the same work at once, atomic as
any single statement:
- the live consent of the subject for the purpose is withdrawn (the UPDATE locks the row; a
  concurrent click waits, then finds nothing live: a repeated click changes nothing);
- its history row ("~", no user, reason "Unsubscribe link"), from the updated row itself;
- for a marketing purpose (read in the same statement), the e-mail's and the phone's keyed
  hashes join the suppression list unless they are on it (`ON CONFLICT DO NOTHING`, also when
  two clicks race), each with its "+" history row.
tests/consents/test_unsubscribe.py compares the rows with what consents.services writes.
"""

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db import connection
from django.utils import translation

from common.contact_digests import stored_contact_digester
from common.history_display import UNSUBSCRIBE_REASON  # names the subject as the actor
from common.history_sql import history_insert_sql, tracked_columns
from consents.models import (
    Consent,
    ConsentState,
    Purpose,
    SuppressionEntry,
    SuppressionKind,
    SuppressionReason,
    WithdrawalChannel,
)
from consents.suppression import suppression_digest


def _untranslated(label: object) -> str:
    # A fixed reason is stored as written (English): the history page translates it for its reader.
    with translation.override(None):
        return str(label)


def withdraw_by_link(
    *, subject_id: int, purpose_id: int, digests: list[tuple[str, str]], now: datetime
) -> tuple[int, int]:
    """(consents withdrawn, suppression entries added) for one click; `digests` are the
    (kind, keyed hash) pairs of the subject's contacts."""
    params: list[Any] = [
        ConsentState.WITHDRAWN, now, WithdrawalChannel.UNSUBSCRIBE_LINK,
        subject_id, purpose_id, ConsentState.GIVEN,
        now, UNSUBSCRIBE_REASON, "~",
    ]  # fmt: skip
    if digests:
        params += [SuppressionReason.UNSUBSCRIBED, now]
        params += [value for pair in digests for value in pair]
        params += [purpose_id, now, _untranslated(SuppressionReason.UNSUBSCRIBED.label), "+"]
    with connection.cursor() as cursor:
        cursor.execute(_withdrawal_sql(len(digests)), params)
        withdrawn, suppressed = cursor.fetchone()
    return int(withdrawn), int(suppressed)


@lru_cache(maxsize=4)
def _withdrawal_sql(digests: int) -> str:
    """The statement for a subject with `digests` contacts to suppress (0, 1 or 2)."""
    quote = connection.ops.quote_name
    consents = quote(Consent._meta.db_table)
    sql = (
        # Only names from the models' metadata are formatted in; every value is a parameter.
        f"WITH withdrawn AS (UPDATE {consents} SET state = %s, withdrawn_at = %s, "  # noqa: S608
        f"withdrawal_channel = %s WHERE subject_id = %s AND purpose_id = %s AND state = %s "
        f"RETURNING id, {tracked_columns(Consent)}), "
        f"consent_history AS ({history_insert_sql(Consent, source='withdrawn')} RETURNING 1) "
    )
    if not digests:
        return sql + "SELECT (SELECT count(*) FROM consent_history), 0"  # noqa: S608 (constant text)
    entries = quote(SuppressionEntry._meta.db_table)
    purposes = quote(Purpose._meta.db_table)
    wanted = ", ".join(["(%s, %s)"] * digests)
    suppression = (
        # The same: names from the models' metadata, placeholders for the values.
        f", suppressed AS (INSERT INTO {entries} (kind, digest, reason, created_at) "  # noqa: S608
        f"SELECT kind, digest, %s, %s FROM (VALUES {wanted}) AS wanted (kind, digest) "
        f"WHERE (SELECT is_marketing FROM {purposes} WHERE id = %s) "
        f"ON CONFLICT DO NOTHING RETURNING id, {tracked_columns(SuppressionEntry)}), "
        f"suppression_history AS ("
        f"{history_insert_sql(SuppressionEntry, source='suppressed')} RETURNING 1) "
        "SELECT (SELECT count(*) FROM consent_history), (SELECT count(*) FROM suppression_history)"
    )
    return sql + suppression


def contact_digests(*, email: str | None, phone: str | None) -> list[tuple[str, str]]:
    """The (kind, keyed hash) pairs of a subject's stored e-mail and phone."""
    pairs = []
    if digest := suppression_digest(kind=SuppressionKind.EMAIL, value=email or ""):
        pairs.append((SuppressionKind.EMAIL.value, digest))
    if phone:  # stored in E.164: hashed as it is, as the mailing-list export does
        pairs.append(
            (SuppressionKind.PHONE.value, stored_contact_digester(SuppressionKind.PHONE)(phone))
        )
    return pairs

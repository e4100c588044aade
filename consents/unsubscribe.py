"""Unsubscribe links: a short sealed token per subject and purpose, and what a click does.

The token hides whom it is for: the subject id, purpose id and issue day are encrypted with a key
derived from UNSUBSCRIBE_SIGNING_KEY (common.hashing.seal_numbers), so a forwarded link tells an
outsider nothing of the register's size or order. It is verified with the key alone, without a
session or a database row. The whole URL must stay under 70 characters so that it survives
`List-Unsubscribe` header folding: the token is 22 characters.

Links sent before (signed, readable tokens of "unsubscribe-v1") keep working until they expire.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.errors import DomainError
from common.hashing import (
    BadToken,
    first_number_sealer,
    open_numbers,
    seal_numbers,
    unsign_numbers,
)
from common.history_display import UNSUBSCRIBE_REASON
from consents.models import Consent, ConsentState, Purpose, SuppressionReason, WithdrawalChannel
from consents.services import consent_withdraw
from consents.suppression import suppression_add
from consents.unsubscribing import contact_digests, withdraw_by_link
from subjects.models import Subject

SEALING_CONTEXT = "unsubscribe-v2"
# Bytes for the subject id (up to 10**12), the purpose id and the issue day (179 years).
SEALED_WIDTHS = (5, 2, 2)
SIGNING_CONTEXT = "unsubscribe-v1"  # links signed but readable: verified until they expire
DAY_ZERO = date(2024, 1, 1)  # tokens carry their issue day as days since this date


class UnsubscribeLinkError(DomainError):
    """The link is not ours, was altered, has expired, or points at nothing we hold."""

    MESSAGES = {
        "invalid": gettext_lazy("This unsubscribe link is not valid"),
        "expired": gettext_lazy("This unsubscribe link has expired"),
        "unknown": gettext_lazy("This unsubscribe link is not valid"),
    }

    def __init__(self, reason: str) -> None:
        super().__init__(self.MESSAGES[reason], code=reason)
        self.reason = reason  # "invalid", "expired" or "unknown"


@dataclass(frozen=True)
class UnsubscribeTarget:
    subject: Subject
    purpose: Purpose
    live: bool  # whether the subject holds a live consent for the purpose (when it was read)


def unsubscribe_token(*, subject: Subject, purpose: Purpose, today: date | None = None) -> str:
    issued = ((today or timezone.localdate()) - DAY_ZERO).days
    return seal_numbers(
        (subject.pk, purpose.pk, issued),
        widths=SEALED_WIDTHS,
        key=settings.UNSUBSCRIBE_SIGNING_KEY,
        purpose=SEALING_CONTEXT,
    )


def _token_numbers(token: str) -> list[int]:
    """(subject id, purpose id, issue day) of a sealed token, or of an older signed one."""
    key = settings.UNSUBSCRIBE_SIGNING_KEY
    try:
        return open_numbers(token, widths=SEALED_WIDTHS, key=key, purpose=SEALING_CONTEXT)
    except BadToken:
        return unsign_numbers(token, key=key, purpose=SIGNING_CONTEXT)


def unsubscribe_url(*, subject: Subject, purpose: Purpose, today: date | None = None) -> str:
    token = unsubscribe_token(subject=subject, purpose=purpose, today=today)
    return settings.PUBLIC_BASE_URL + reverse("unsubscribe", args=[token])


def unsubscribe_links_maker(
    *, purpose: Purpose, today: date | None = None
) -> Callable[[Sequence[int]], list[str]]:
    """unsubscribe_url for a batch of subjects of one purpose, by subject id: the URL's frame is
    resolved and the cipher set up once (a mailing list has a million links)."""
    frame = settings.PUBLIC_BASE_URL + reverse("unsubscribe", args=["TOKEN"])
    before, after = frame.split("TOKEN")
    issued = ((today or timezone.localdate()) - DAY_ZERO).days
    seal = first_number_sealer(
        widths=SEALED_WIDTHS,
        rest=(purpose.pk, issued),
        key=settings.UNSUBSCRIBE_SIGNING_KEY,
        purpose=SEALING_CONTEXT,
    )

    def urls(subject_ids: Sequence[int]) -> list[str]:
        return [before + token + after for token in seal(subject_ids)]

    return urls


def unsubscribe_target(*, token: str, today: date | None = None) -> UnsubscribeTarget:
    """Whom and what the token is for; UnsubscribeLinkError when it can't be honoured."""
    try:
        numbers = _token_numbers(token)
    except BadToken:
        raise UnsubscribeLinkError("invalid") from None
    if len(numbers) != 3:
        raise UnsubscribeLinkError("invalid")
    subject_id, purpose_id, issued = numbers
    age = (today or timezone.localdate()) - (DAY_ZERO + timedelta(days=issued))
    if age.days > settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS:
        raise UnsubscribeLinkError("expired")
    with connection.cursor() as cursor:
        cursor.execute(_target_sql(), [ConsentState.GIVEN, subject_id, purpose_id])
        row = cursor.fetchone()
    if row is None:
        raise UnsubscribeLinkError("unknown")
    subject_values, purpose_values = row[: len(SUBJECT_SHOWN)], row[len(SUBJECT_SHOWN) : -1]
    return UnsubscribeTarget(
        subject=Subject.from_db(connection.alias, SUBJECT_SHOWN, subject_values),
        purpose=Purpose.from_db(connection.alias, PURPOSE_SHOWN, purpose_values),
        live=bool(row[-1]),
    )


# What the page and the click use: a burst of clicks after a mailing reads these and no more (a
# field left out here is read from the database if ever used: the instances defer it).
SUBJECT_SHOWN = ("id", "email", "phone", "preferred_language", "state")
PURPOSE_SHOWN = ("id", "code", "name_kk", "name_ru", "name_en", "is_marketing")


@lru_cache(maxsize=1)
def _target_sql() -> str:
    """The subject, the purpose and whether a consent is live, in one query and one round trip
    (columns plain text and booleans: nothing to convert). No row: either is unknown."""
    quote = connection.ops.quote_name

    def columns(model: type[Subject] | type[Purpose], names: tuple[str, ...], alias: str) -> str:
        fields = [model._meta.get_field(name) for name in names]
        return ", ".join(f"{alias}.{quote(f.column)}" for f in fields)  # type: ignore[union-attr, arg-type]

    return (
        # Names come from the models' metadata only; the values are parameters.
        f"SELECT {columns(Subject, SUBJECT_SHOWN, 's')}, {columns(Purpose, PURPOSE_SHOWN, 'p')}, "  # noqa: S608
        f"EXISTS (SELECT 1 FROM {quote(Consent._meta.db_table)} c WHERE c.subject_id = s.id "
        f"AND c.purpose_id = p.id AND c.state = %s) "
        f"FROM {quote(Subject._meta.db_table)} s, {quote(Purpose._meta.db_table)} p "
        f"WHERE s.id = %s AND p.id = %s"
    )


def unsubscribe(*, target: UnsubscribeTarget) -> int:
    """Withdraw the consent the link is for and suppress the subject's contacts. Idempotent.

    The click is the subject's own act, so there is no staff actor; the history says "link".
    Returns how many consents were withdrawn (0 or 1). On PostgreSQL all of it is one statement
    (consents.unsubscribing), atomic without BEGIN and COMMIT: unsubscribes come in bursts after
    every mailing.
    """
    subject, purpose = target.subject, target.purpose
    if connection.vendor == "postgresql":
        withdrawn, _added = withdraw_by_link(
            subject_id=subject.pk,
            purpose_id=purpose.pk,
            digests=contact_digests(email=subject.email, phone=subject.phone),
            now=timezone.now(),
        )
        return withdrawn
    with transaction.atomic():  # the demo's SQLite: the same, through the services
        consents = consent_withdraw(
            subject=subject,
            purposes=[purpose],
            channel=WithdrawalChannel.UNSUBSCRIBE_LINK,
            actor=None,
            reason=UNSUBSCRIBE_REASON,
        )
        if purpose.is_marketing:
            # Also when the consent was withdrawn before by another channel: the click says "never".
            suppression_add(
                email=subject.email,
                phone=subject.phone,
                reason=SuppressionReason.UNSUBSCRIBED,
                actor=None,
            )
    return len(consents)

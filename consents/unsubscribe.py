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

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.errors import DomainError
from common.hashing import (
    BadToken,
    numbers_sealer,
    open_numbers,
    seal_numbers,
    unsign_numbers,
)
from consents.models import Consent, Purpose, SuppressionReason, WithdrawalChannel
from consents.services import consent_withdraw
from consents.suppression import suppression_add
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
    seal = numbers_sealer(
        widths=SEALED_WIDTHS, key=settings.UNSUBSCRIBE_SIGNING_KEY, purpose=SEALING_CONTEXT
    )

    def urls(subject_ids: Sequence[int]) -> list[str]:
        tokens = seal([(subject_id, purpose.pk, issued) for subject_id in subject_ids])
        return [before + token + after for token in tokens]

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
    subject = Subject.objects.filter(pk=subject_id).first()
    purpose = Purpose.objects.filter(pk=purpose_id).first()
    if subject is None or purpose is None:
        raise UnsubscribeLinkError("unknown")
    return UnsubscribeTarget(subject=subject, purpose=purpose)


@transaction.atomic
def unsubscribe(*, target: UnsubscribeTarget) -> list[Consent]:
    """Withdraw the consent the link is for and suppress the subject's contacts. Idempotent.

    The click is the subject's own act, so there is no staff actor; the history says "link".
    """
    withdrawn = consent_withdraw(
        subject=target.subject,
        purposes=[target.purpose],
        channel=WithdrawalChannel.UNSUBSCRIBE_LINK,
        actor=None,
        reason="Unsubscribe link",
    )
    if target.purpose.is_marketing:
        # Also when the consent was withdrawn before by another channel: the click says "never".
        suppression_add(
            email=target.subject.email,
            phone=target.subject.phone,
            reason=SuppressionReason.UNSUBSCRIBED,
            actor=None,
        )
    return withdrawn

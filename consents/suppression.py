"""The suppression list: keyed hashes of e-mails and phones that must never be mailed again.

Unsubscribe, withdrawal of a marketing purpose and erasure add to it; every import, webhook and
mailing-list export asks it. Values are normalised first, so "A@B.kz " and "a@b.kz" are one.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction

from common.contact_digests import contact_hasher
from common.history import delete_with_history, save_with_history
from common.phones import normalise_phone
from consents.models import SuppressionEntry, SuppressionKind, SuppressionReason


def _normalised(kind: str, value: str) -> str:
    if kind == SuppressionKind.EMAIL:
        return value.strip().lower()
    try:
        return normalise_phone(value)
    except ValidationError:
        return ""  # not a phone number: nothing anyone could be reached at


def suppression_digest(*, kind: str, value: str) -> str:
    """The keyed hash stored for `value`, or "" when there is nothing to hash."""
    normalised = _normalised(kind, value or "")
    return contact_hasher(kind)(normalised) if normalised else ""


@transaction.atomic
def suppression_add(
    *,
    email: str | None = None,
    phone: str | None = None,
    reason: SuppressionReason,
    actor: User | None,
) -> list[SuppressionEntry]:
    """Suppress an e-mail and/or phone; already-suppressed values are left as they are."""
    added = []
    for kind, value in ((SuppressionKind.EMAIL, email), (SuppressionKind.PHONE, phone)):
        digest = suppression_digest(kind=kind, value=value or "")
        if not digest or SuppressionEntry.objects.filter(kind=kind, digest=digest).exists():
            continue
        entry = SuppressionEntry(kind=kind, digest=digest, reason=reason)
        save_with_history(entry, actor=actor, reason=str(SuppressionReason(reason).label))
        added.append(entry)
    return added


def is_suppressed(*, email: str | None = None, phone: str | None = None) -> bool:
    """Whether the e-mail or the phone is on the suppression list."""
    wanted = [
        (kind, digest)
        for kind, value in ((SuppressionKind.EMAIL, email), (SuppressionKind.PHONE, phone))
        if (digest := suppression_digest(kind=kind, value=value or ""))
    ]
    return any(SuppressionEntry.objects.filter(kind=k, digest=d).exists() for k, d in wanted)


def suppression_entries(
    *, email: str | None = None, phone: str | None = None
) -> list[SuppressionEntry]:
    """The entries that suppress this e-mail or phone (none, one or two), in one query."""
    wanted = models.Q(pk__in=[])
    for kind, value in ((SuppressionKind.EMAIL, email), (SuppressionKind.PHONE, phone)):
        if digest := suppression_digest(kind=kind, value=value or ""):
            wanted |= models.Q(kind=kind, digest=digest)
    return list(SuppressionEntry.objects.filter(wanted))


@transaction.atomic
def suppression_lift(*, entries: list[SuppressionEntry], actor: User | None, reason: str) -> int:
    """End suppression entries because the person consented anew (a new act, with its evidence).

    Erasure's entries never end: an erased person comes back only as a new subject, by hand.
    """
    lifted = 0
    for entry in entries:
        if entry.reason == SuppressionReason.ERASED:
            continue
        delete_with_history(entry, actor=actor, reason=reason)
        lifted += 1
    return lifted


def suppressed_digests(kind: SuppressionKind) -> dict[str, float]:
    """Digest -> when it was suppressed (a POSIX timestamp), for one kind: to check many values
    at once against consents read with their timestamps as numbers, not parsed dates."""
    return {
        digest: created_at.timestamp()
        for digest, created_at in SuppressionEntry.objects.filter(kind=kind).values_list(
            "digest", "created_at"
        )
    }

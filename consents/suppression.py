"""The suppression list: keyed hashes of e-mails and phones that must never be mailed again.

Unsubscribe, withdrawal of a marketing purpose and erasure add to it; every import, webhook and
mailing-list export asks it. Values are normalised first, so "A@B.kz " and "a@b.kz" are one.
"""

import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction

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


def suppression_hasher(kind: str) -> Callable[[str], str]:
    """The keyed hash (HMAC-SHA256 of "kind:value") of already normalised values of one kind.

    For many values at once (an import): the key and the kind are hashed once, and that state is
    copied for each value. `suppression_digest` hashes with it too, so both give one digest.
    """
    prefix = hmac.new(settings.SUPPRESSION_HASH_KEY.encode(), f"{kind}:".encode(), hashlib.sha256)

    def digest(normalised: str) -> str:
        mac = prefix.copy()
        mac.update(normalised.encode())
        return mac.hexdigest()

    return digest


def suppression_digest(*, kind: str, value: str) -> str:
    """The keyed hash stored for `value`, or "" when there is nothing to hash."""
    normalised = _normalised(kind, value or "")
    return suppression_hasher(kind)(normalised) if normalised else ""


def stored_phone_digest(phone: str) -> str:
    """suppression_digest of a phone as a subject stores it: already in E.164 (the subject's
    clean_fields and every importer normalise it before it is written), so it is hashed as it
    is, without parsing it again, which is most of the cost of a mailing list's check."""
    return suppression_hasher(SuppressionKind.PHONE)(phone)


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


def suppressed_digests(kind: SuppressionKind) -> dict[str, datetime]:
    """Digest -> when it was suppressed, for one kind: to check many values at once."""
    return dict(SuppressionEntry.objects.filter(kind=kind).values_list("digest", "created_at"))

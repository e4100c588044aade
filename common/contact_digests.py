"""Keyed hashes of e-mails and phones: what the suppression list stores, and what a subject
keeps beside its own e-mail and phone so that SQL can match the two without the key.

HMAC-SHA256 of "kind:value" with SUPPRESSION_HASH_KEY. The key stays in Python: a dump of the
database alone does not let anyone try guessed addresses against the list.
"""

import hmac
from collections.abc import Callable

from django.conf import settings

EMAIL, PHONE = "email", "phone"  # the kinds, as consents.SuppressionKind names them


def contact_hasher(kind: str) -> Callable[[str], str]:
    """The keyed hash of already normalised values of one kind, the key set up once (an import
    or a mailing list hashes a million): one call into OpenSSL per value."""
    key = settings.SUPPRESSION_HASH_KEY.encode()
    prefix = f"{kind}:".encode()

    def digest(normalised: str) -> str:
        return hmac.digest(key, prefix + normalised.encode(), "sha256").hex()

    return digest


def stored_contact_digester(kind: str) -> Callable[[str], str]:
    """The digest of values of one kind as a subject stores them. A phone is already in E.164
    (the subject's clean_fields and every importer normalise it before it is written), so it is
    hashed as it is, without parsing it again, which would be most of the cost; an e-mail is
    trimmed and lower-cased as the suppression list does."""
    hasher = contact_hasher(kind)
    if kind == PHONE:
        return hasher
    return lambda value: hasher(value.strip().lower())


def stored_contact_digest(kind: str, value: str | None) -> str | None:
    """The digest a subject keeps for its e-mail or phone: None when there is none."""
    if not value or not value.strip():
        return None
    return stored_contact_digester(kind)(value)

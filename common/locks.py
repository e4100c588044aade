"""One lock per person, for the writers that create a person and the erasure that forgets one.

Erasure holds it (and the subject's row) until it commits; a creating path (the admin's add
form, the seed, a webhook) takes it before it checks the suppression list and writes, so it
either runs first and is erased with the rest, or waits and then sees the person suppressed.
The key is the normalised e-mail or phone, so "A@B.kz" and "a@b.kz " are one lock.
"""

from contextlib import suppress

from django.core.exceptions import ValidationError
from django.db import connection

from common.phones import normalise_phone


def person_lock_keys(*, email: str | None, phone: str | None) -> list[str]:
    keys = []
    if email and email.strip():
        keys.append(f"derbes-person:email:{email.strip().lower()}")
    if phone and phone.strip():
        # Not a phone number: nobody can be found or suppressed by it, so no lock.
        with suppress(ValidationError):
            keys.append(f"derbes-person:phone:{normalise_phone(phone)}")
    return sorted(keys)


def person_lock(*, email: str | None, phone: str | None) -> None:
    """Take the person's locks until the transaction ends (always in the same order)."""
    if connection.vendor != "postgresql":
        return  # the demo's SQLite writes one transaction at a time anyway
    with connection.cursor() as cursor:
        for key in person_lock_keys(email=email, phone=phone):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])

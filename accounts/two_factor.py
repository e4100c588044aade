"""TOTP devices of staff users (django-otp): the device being enrolled, its secret for humans."""

from base64 import b32encode

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


@transaction.atomic
def enrolment_device(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first need; the same one on every visit.

    Keeping one pending device means a reload of the enrolment page does not change the QR code
    the user may already have scanned.
    """
    pending = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return pending


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in (groups of four letters)."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))

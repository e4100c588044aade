"""Phone numbers are stored in E.164 so that one person's number is one value however written."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_phone(raw: str, *, region: str | None = None) -> str:
    """Return `raw` in E.164 (+77011234567); raise ValidationError when it is not a phone number."""
    text = (raw or "").strip().lstrip("'")  # Excel users prefix a quote to keep the plus sign
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("%(value)s is not a valid phone number; write it as +7 701 234 56 78."),
            params={"value": raw},
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

"""The values of agreement data before they are sealed: their names, normal form and checks."""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ENCRYPTED_AGREEMENT_FIELDS = (
    "passport_number",
    "passport_issued_by",
    "passport_issued_on",
    "bank_name",
    "bank_bic",
    "bank_account",
)

_PASSPORT = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9]{5,20}")
_BIC = re.compile(r"[A-Z0-9]{8}([A-Z0-9]{3})?")
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def normalise_agreement_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Upper-case identifiers without spaces; dates as YYYY-MM-DD text; other text trimmed."""
    normal: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, date):
            value = value.isoformat()
        if isinstance(value, str):
            value = value.strip()
            if name in {"passport_number", "bank_bic", "bank_account"}:
                value = re.sub(r"[\s-]", "", value).upper()
        normal[name] = value
    return normal


def iban_ok(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, mod 97 is 1."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def agreement_value_errors(values: Mapping[str, Any]) -> dict[str, list[str | Promise]]:
    """Errors of the plaintext values (sealed and empty values are not looked at)."""
    errors: dict[str, list[str | Promise]] = {}

    def plain(name: str) -> str:
        value = values.get(name)
        return value if isinstance(value, str) else ""

    if (number := plain("passport_number")) and not _PASSPORT.fullmatch(number):
        errors["passport_number"] = [
            _("A passport or ID card number is 5 to 20 letters and digits.")
        ]
    if issued_on := plain("passport_issued_on"):
        try:
            day = date.fromisoformat(issued_on)
        except ValueError:
            errors["passport_issued_on"] = [_("Write the date as YYYY-MM-DD.")]
        else:
            if day > timezone.localdate():
                errors["passport_issued_on"] = [_("The date of issue is in the future.")]
    if (bic := plain("bank_bic")) and not _BIC.fullmatch(bic):
        errors["bank_bic"] = [_("A BIC is 8 or 11 letters and digits.")]
    if (iban := plain("bank_account")) and not (_IBAN.fullmatch(iban) and iban_ok(iban)):
        errors["bank_account"] = [_("This is not a valid IBAN (e.g. KZ86125KZT5004100100).")]
    for name in ("passport_issued_by", "bank_name"):
        if len(plain(name)) > 255:
            errors[name] = [_("At most 255 characters.")]
    return errors

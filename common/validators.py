"""Validators for identifiers the operator handles (and one it must refuse)."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_IIN_WEIGHTS_FIRST = range(1, 12)
_IIN_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY_BY_DIGIT = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def iin_checksum_ok(iin: str) -> bool:
    """The control digit of an IIN: weights 1..11 mod 11, and a second pass if that gives 10."""
    digits = [int(c) for c in iin[:11]]
    control = sum(w * d for w, d in zip(_IIN_WEIGHTS_FIRST, digits, strict=True)) % 11
    if control == 10:
        control = sum(w * d for w, d in zip(_IIN_WEIGHTS_SECOND, digits, strict=True)) % 11
        if control == 10:
            return False
    return control == int(iin[11])


def validate_iin(value: str) -> None:
    """An individual identification number: 12 digits, a real birth date, a right control digit."""
    if not re.fullmatch(r"\d{12}", value or ""):
        raise ValidationError(_("An IIN is exactly 12 digits."), code="iin_format")
    century = _CENTURY_BY_DIGIT.get(value[6])
    if century is not None:  # legal entities and old numbers use other seventh digits
        try:
            date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
        except ValueError:
            raise ValidationError(
                _("The first six digits of an IIN are the birth date (YYMMDD); %(value)s is not."),
                params={"value": value[:6]},
                code="iin_date",
            ) from None
    if not iin_checksum_ok(value):
        raise ValidationError(
            _("This IIN's control digit is wrong: check the number for a typing error."),
            code="iin_checksum",
        )


# What people put between the groups of a card number: spaces of every width (a space, the
# no-break space Word and Excel insert, thin and narrow no-break spaces from formatted text),
# dashes, dots, slashes and underscores; up to three of them ("4111  1111", "4111 - 1111").
CARD_SEPARATORS = " \u00a0\u2000-\u200a\u202f\u205f\u3000\\-\u2010-\u2013\u2212./_"
# A run of 13-19 digits with such separators between them: what a card number looks like.
CARD_CANDIDATE = re.compile(rf"(?<!\d)(?:\d[{CARD_SEPARATORS}]{{0,3}}){{12,18}}\d(?!\d)")
_NOT_A_DIGIT = re.compile(r"\D")


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def is_card_number(candidate: str) -> bool:
    """Whether a CARD_CANDIDATE match passes Luhn, as a payment card number does."""
    return luhn_ok(_NOT_A_DIGIT.sub("", candidate))


def contains_card_number(text: str) -> bool:
    """Whether `text` holds 13-19 digits (CARD_SEPARATORS allowed between) that pass Luhn."""
    return any(is_card_number(m.group()) for m in CARD_CANDIDATE.finditer(text or ""))


CARD_NUMBER_MESSAGE = _(
    "This looks like a payment card number. The operator does not process card data: remove it."
)


def reject_card_number(value: str) -> None:
    """The operator does not process payment card data (its policy says so): refuse it anywhere."""
    if isinstance(value, str) and contains_card_number(value):
        raise ValidationError(CARD_NUMBER_MESSAGE, code="card_number")


CARD_MASK = "*"
_CARD_CANDIDATE_BYTES = re.compile(CARD_CANDIDATE.pattern.encode())


def mask_card_number(candidate: str, *, keep_last: int = 4, mask: str = CARD_MASK) -> str | None:
    """A CARD_CANDIDATE match with its digits masked but the last `keep_last` (what PCI DSS lets
    a receipt show); the separators stay. None when it is not a card number (fails Luhn)."""
    if not is_card_number(candidate):
        return None
    keep_from = sum(char.isdigit() for char in candidate) - keep_last
    out, seen = [], 0
    for char in candidate:
        if char.isdigit():
            out.append(mask if seen < keep_from else char)
            seen += 1
        else:
            out.append(char)
    return "".join(out)


def mask_card_numbers(text: str, *, keep_last: int = 4, mask: str = CARD_MASK) -> tuple[str, int]:
    """`text` with each card number masked (`mask_card_number`), and how many were masked.

    The operator does not hold card data. A letter keeps the last four digits (a requester may
    name "the card ending 1111"); an import keeps none (`keep_last=0`): nothing there needs them.
    """
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        masked = mask_card_number(match.group(), keep_last=keep_last, mask=mask)
        if masked is None:
            return match.group()
        count += 1
        return masked

    return CARD_CANDIDATE.sub(replace, text or ""), count


def mask_card_numbers_in_bytes(data: bytes, *, keep_last: int = 4) -> tuple[bytes, int]:
    """The same over raw bytes (ASCII digits), for what could not be decoded."""
    count = 0

    def replace(match: re.Match[bytes]) -> bytes:
        nonlocal count
        masked = mask_card_number(match.group().decode("ascii"), keep_last=keep_last)
        if masked is None:
            return match.group()
        count += 1
        return masked.encode("ascii")

    return _CARD_CANDIDATE_BYTES.sub(replace, data), count

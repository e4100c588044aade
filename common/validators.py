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


# What people put between the digit groups of a card number: spaces of every kind (word
# processors and phones insert no-break, thin and narrow no-break spaces), dashes of every kind,
# dots, slashes and underscores; up to three at once ("4111 - 1111", double spaces).
CARD_SEPARATOR = r"[ \t\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\u2010-\u2015\u2212./_-]"
# A run of 13-19 digits with such separators between them: what a card number looks like.
CARD_CANDIDATE = re.compile(rf"(?<!\d)(?:\d{CARD_SEPARATOR}{{0,3}}){{12,18}}\d(?!\d)")


def _digit_runs(separator: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\d)\d+(?:(?:{separator}){{1,3}}\d+)*(?!\d)")


_DIGIT_RUNS = _digit_runs(CARD_SEPARATOR)


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


def _grouped_like_a_card(groups: list[str]) -> bool:
    """Cards are written whole or in groups of four or more (4-4-4-4, Amex 4-6-5, 4-4-4-4-3):
    phone numbers (8 701 123 45 67) and dates (12.03.2024) are grouped otherwise."""
    return all(len(group) >= 4 for group in groups[:-1]) and len(groups[-1]) >= 2


def is_card_number(candidate: str) -> bool:
    """Whether a CARD_CANDIDATE match is grouped like a card and passes Luhn, as cards do."""
    groups = re.findall(r"\d+", candidate)
    digits = "".join(groups)
    return 13 <= len(digits) <= 19 and _grouped_like_a_card(groups) and luhn_ok(digits)


def card_number_spans(text: str, *, separator: str = CARD_SEPARATOR) -> list[tuple[int, int]]:
    """Where card numbers are in `text`: (start, end) of each, in order.

    A run of digit groups is searched for 13-19 consecutive digits that start and end on group
    boundaries, are grouped like a card (groups of four or more but the last) and pass Luhn, so
    that a number with something in front of it ("contract 12, card 4111 1111 1111 1111" written
    without the comma) is still found. `separator` is a regular
    expression of one separator; callers reading encoded text (HTML entities, raw bytes decoded
    as Latin-1) pass a wider one.
    """
    runs = _DIGIT_RUNS if separator == CARD_SEPARATOR else _digit_runs(separator)
    spans: list[tuple[int, int]] = []
    for run in runs.finditer(text or ""):
        groups = [
            (m.start(), m.end())
            for m in re.finditer(rf"\d+|{separator}", run.group())
            if m.group()[0].isdigit()
        ]
        first = 0
        while first < len(groups):
            found = None
            digits = ""
            for last in range(first, len(groups)):
                start, end = groups[last]
                digits += run.group()[start:end]
                if len(digits) > 19:
                    break
                window = [run.group()[a:b] for a, b in groups[first : last + 1]]
                if len(digits) >= 13 and _grouped_like_a_card(window) and luhn_ok(digits):
                    found = last  # the longest window from `first` wins
            if found is None:
                first += 1
                continue
            spans.append((run.start() + groups[first][0], run.start() + groups[found][1]))
            first = found + 1
    return spans


def contains_card_number(text: str) -> bool:
    """Whether `text` holds 13-19 digits (separators allowed between groups) that pass Luhn."""
    return bool(card_number_spans(text))


CARD_NUMBER_MESSAGE = _(
    "This looks like a payment card number. The operator does not process card data: remove it."
)


def reject_card_number(value: str) -> None:
    """The operator does not process payment card data (its policy says so): refuse it anywhere."""
    if isinstance(value, str) and contains_card_number(value):
        raise ValidationError(CARD_NUMBER_MESSAGE, code="card_number")


CARD_MASK = "*"

# In HTML source the spaces between groups are often entities.
_HTML_SEPARATOR = (
    rf"(?:{CARD_SEPARATOR}|&nbsp;|&#160;|&#x0*a0;|&thinsp;|&#8201;|&#x2009;|&#8239;|&#x202f;"
    r"|&ensp;|&emsp;|&ndash;|&#8211;|&#x2013;)"
)
# Raw bytes that could not be decoded, read as Latin-1 (one character per byte): the separators
# as they are encoded in UTF-8, in single-byte charsets and in quoted-printable.
_BYTES_SEPARATOR = (
    r"(?:[ \t\xa0./_-]|\xc2\xa0|\xe2\x80[\x80-\x8b\x90-\x95\xaf]|\xe2\x81\x9f|\xe2\x88\x92"
    r"|\xe3\x80\x80|=C2=A0|=E2=80=(?:8[0-9AB]|9[0-5]|AF)|=A0|=20|=09)"
)


def _masked(number: str, separator: str, keep_last: int, mask: str) -> str:
    """The number with its digits masked but the last `keep_last`; its separators stay."""
    tokens = [match.group() for match in re.finditer(rf"\d+|{separator}", number)]
    keep_from = sum(len(token) for token in tokens if token[0].isdigit()) - keep_last
    out, seen = [], 0
    for token in tokens:
        if not token[0].isdigit():
            out.append(token)
            continue
        for char in token:
            out.append(mask if seen < keep_from else char)
            seen += 1
    return "".join(out)


def _mask(text: str, separator: str, keep_last: int, mask: str) -> tuple[str, int]:
    spans = card_number_spans(text, separator=separator)
    if not spans:
        return text, 0
    out, position = [], 0
    for start, end in spans:
        out += [text[position:start], _masked(text[start:end], separator, keep_last, mask)]
        position = end
    out.append(text[position:])
    return "".join(out), len(spans)


def mask_card_numbers(text: str, *, keep_last: int = 4, mask: str = CARD_MASK) -> tuple[str, int]:
    """`text` with each card number (`card_number_spans`) masked, and how many were masked.

    The operator does not hold card data. A letter keeps the last four digits (a requester may
    name "the card ending 1111"); an import keeps none (`keep_last=0`): nothing there needs them.
    """
    return _mask(text or "", CARD_SEPARATOR, keep_last, mask)


def mask_card_numbers_in_html(html: str, *, keep_last: int = 4) -> tuple[str, int]:
    """The same over HTML source, where groups may be parted by `&nbsp;` and other entities."""
    return _mask(html or "", _HTML_SEPARATOR, keep_last, CARD_MASK)


def mask_card_numbers_in_bytes(data: bytes, *, keep_last: int = 4) -> tuple[bytes, int]:
    """The same over raw bytes (ASCII digits), for what could not be decoded."""
    text, count = _mask(data.decode("latin-1"), _BYTES_SEPARATOR, keep_last, CARD_MASK)
    return (text.encode("latin-1"), count) if count else (data, 0)

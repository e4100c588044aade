import pytest
from django.core.exceptions import ValidationError

from common.phones import normalise_phone
from common.validators import (
    card_number_spans,
    contains_card_number,
    reject_card_number,
    validate_iin,
)


# 800101300706 needs the second pass: first weights give 109 % 11 == 10, second 72 % 11 == 6.
@pytest.mark.parametrize(
    "iin", ["900101300017", "870412400016", "000101500011", "951231401239", "800101300706"]
)
def test_valid_iins_pass(iin):
    validate_iin(iin)


@pytest.mark.parametrize(
    ("iin", "code"),
    [
        ("90010130001", "iin_format"),
        ("9001013000a1", "iin_format"),
        ("901301300017", "iin_date"),
        ("900101300012", "iin_checksum"),
    ],
)
def test_invalid_iins_are_refused_with_the_reason(iin, code):
    with pytest.raises(ValidationError) as raised:
        validate_iin(iin)

    assert raised.value.code == code


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1111", "card: 5500-0000-0000-0004", "4111111111111111", "378282246310005",
        "4111\u00a01111\u00a01111\u00a01111",  # no-break spaces (Word, Excel)
        "4111\u20091111\u20091111\u20091111",  # thin spaces
        "4111\u202f1111\u202f1111\u202f1111",  # narrow no-break spaces
        "4111  1111  1111  1111", "4111 - 1111 - 1111 - 1111", "4111.1111.1111.1111",
        "4111/1111/1111/1111", "4111_1111_1111_1111", "карта_4111_1111_1111_1111.csv",
    ],
)  # fmt: skip
def test_card_numbers_are_recognised(text):
    assert contains_card_number(text)
    with pytest.raises(ValidationError):
        reject_card_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112", "+7 701 123 45 67", "IIN 900101300010", "Абай даңғылы 10",
        "12.03.2024 10.00", "IP 203.0.113.17", "4111 1111    1111 1111",
    ],
)  # fmt: skip
def test_other_numbers_are_not_card_numbers(text):
    assert not contains_card_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "4111\u00a01111\u00a01111\u00a01111",  # no-break spaces (word processors, Outlook)
        "4111\u20091111\u20091111\u20091111",  # thin spaces
        "4111\u202f1111\u202f1111\u202f1111",  # narrow no-break spaces (macOS, iOS)
        "4111  1111  1111  1111",  # double spaces
        "4111.1111.1111.1111",
        "4111/1111/1111/1111",
        "4111_1111_1111_1111",
        "4111 \u2013 1111 \u2013 1111 \u2013 1111",  # en dashes with spaces around
        "договор 12 4111 1111 1111 1111",  # a number in front of the card
        "3782 822463 10005",  # American Express grouping
    ],
)
def test_card_numbers_with_any_separator_are_recognised(text):
    assert contains_card_number(text)
    assert card_number_spans(text)[-1][1] == len(text)


def test_card_number_spans_cover_the_card_only():
    text = "договор 12 4111 1111 1111 1111, спасибо"

    (span,) = card_number_spans(text)

    assert text[span[0] : span[1]] == "4111 1111 1111 1111"


@pytest.mark.parametrize(
    "text",
    [
        "12.03.2024 15:04",
        "4111\n1111\n1111\n1111",
        "41111111111111111111111",
        "1 2 3 4 5 6",
        # Phones and dates are grouped unlike cards, even when their digits happen to pass Luhn.
        "8 701 123 45 67 / 8 702 000 00 10",  # 8701123456787020000 passes Luhn
        "12.03.2024 / 15.04.2025 / 01.05",  # so does 1203202415042025
    ],
)
def test_dates_lines_and_long_runs_are_not_card_numbers(text):
    assert not contains_card_number(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+7 701 000 0001", "+77010000001"),
        ("8 (701) 000-00-01", "+77010000001"),
        ("'+77020000002", "+77020000002"),
        ("", ""),
    ],
)
def test_phones_are_stored_in_e164(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["7,70E+10", "12345", "not a phone"])
def test_what_is_not_a_phone_is_refused(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)

"""Values, names, headers and encodings: the fast paths agree with the libraries they skip."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from common.phones import normalise_phone
from imports.services.columns import map_columns, normalise_header, split_full_name
from imports.services.reading import FileUnreadable, detect_encoding
from imports.services.values import (
    Invalid,
    clean_email,
    clean_phone,
    consent_given,
    parse_moment,
)


def _library_phone(text: str) -> str | None:
    try:
        return normalise_phone(text)
    except ValidationError:
        return None


def _fast_phone(text: str) -> str | None:
    try:
        return clean_phone(text)
    except Invalid:
        return None


def test_the_fast_phone_path_gives_what_phonenumbers_gives_for_every_kazakh_prefix():
    rng = random.Random(4)  # noqa: S311 - a repeatable sample, not a secret
    for prefix in range(70_000, 80_000, 7):  # every 7th 5-digit prefix: all patterns touched
        national = f"{prefix}{rng.randrange(100_000):05d}"
        spaced = f"8 ({national[:3]}) {national[3:6]}-{national[6:8]}-{national[8:]}"
        for text in (f"+7{national}", f"8{national}", spaced):
            assert _fast_phone(text) == _library_phone(text), text


@pytest.mark.parametrize(
    "text",
    ["+7 (701) 000-00-21", "8 747 000 00 22", "87770000023", "7 775 000 0025", "'+77020000002",
     "+79161234567", "89161234567", "+44 20 7946 0958", "12345", "+7 701 000 00 1"],
)  # fmt: skip
def test_phones_of_any_shape_normalise_as_the_library_does(text):
    assert _fast_phone(text) == _library_phone(text)


def test_an_excel_mangled_phone_is_refused_not_guessed():
    for text in ("7,70E+10", "7.70E+10", "77012345678E0"):
        with pytest.raises(Invalid, match="Excel"):
            clean_phone(text)
    assert clean_phone(" - ") == clean_phone("нет") == ""


@pytest.mark.parametrize(
    "text",
    ["a@b.kz", "First.Last+tag@Sub.Example.ORG", "x_y%z@ex-ample.com", "a..b@c.kz", "a@b",
     "a@-b.kz", '"quoted"@example.com', "юзер@пример.рф", "a@b.c", "a b@c.kz", "@c.kz"],
)  # fmt: skip
def test_email_fast_path_accepts_nothing_django_refuses(text):
    try:
        validate_email(text.strip().lower())
        library = True
    except ValidationError:
        library = False
    try:
        ours = clean_email(text) == text.strip().lower()
    except Invalid:
        ours = False
    assert ours == library


def test_dates_in_the_shapes_of_the_samples():
    from zoneinfo import ZoneInfo

    almaty = ZoneInfo("Asia/Almaty")
    assert parse_moment("12.09.2024", naive_tz=almaty).isoformat() == "2024-09-12T00:00:00+05:00"
    assert parse_moment("2024-11-01", naive_tz=almaty).date().isoformat() == "2024-11-01"
    assert parse_moment("2023-04-02 09:15:11", naive_tz=almaty).hour == 9
    assert parse_moment("25/12/2024", naive_tz=almaty).month == 12
    assert parse_moment("03/14", naive_tz=almaty, allow_yearless=True) is None
    for bad in ("03/04/2024", "31.02.2024", "45123", "вчера"):
        with pytest.raises(Invalid):
            parse_moment(bad, naive_tz=almaty)


def test_consent_cells_in_three_languages():
    assert [consent_given(v) for v in ("да", "Иә", "yes", "нет", "жоқ", "No", "")] == [
        True, True, True, False, False, False, None,
    ]  # fmt: skip
    with pytest.raises(Invalid):
        consent_given("может быть")


@pytest.mark.parametrize(
    ("text", "surname_first", "expected"),
    [
        ("Петров Иван Сергеевич", True, ("Петров", "Иван", "Сергеевич")),
        ("Ким Елена", True, ("Ким", "Елена", "")),
        ("Смирнова Анна", True, ("Смирнова", "Анна", "")),
        ("Әлия Қасымова", False, ("Қасымова", "Әлия", "")),
        ("Ғалым Нұрланұлы", False, ("Нұрланұлы", "Ғалым", "")),
        ("Ирина Петрова", True, ("Петрова", "Ирина", "")),
        ("Мадонна", False, ("", "Мадонна", "")),
    ],
)
def test_full_names_split_by_the_endings_then_by_the_header(text, surname_first, expected):
    assert split_full_name(text, surname_first=surname_first) == expected


def test_headers_match_in_kazakh_russian_english_and_mailchimp():
    names = ["Электрондық пошта", "ФИО", "Келісім (иә/жоқ)", "Қала", "OPTIN_IP", "TAGS", "Прочее"]
    columns = map_columns(names)

    assert columns.index == {
        "email": 0, "full_name_fio": 1, "consent": 2, "city": 3, "optin_ip": 4, "tags": 5,
    }  # fmt: skip
    assert columns.ignored == ("Прочее",)
    assert normalise_header(" E-Mail ") == "e mail"
    assert map_columns(["\ufeffEmail Address"]).index == {"email": 0}
    with pytest.raises(FileUnreadable):
        map_columns(["Name", "Phone"])


def test_encoding_detection_tells_cp1251_from_kz1048_by_the_kazakh_letters():
    russian = "ФИО;Город\r\nПетров Иван;Алматы\r\n"
    kazakh = "Аты-жөні;Қала\r\nӘлия Қасымова;Ақтөбе\r\n"

    assert detect_encoding(russian.encode("cp1251")) == "cp1251"
    assert detect_encoding(kazakh.encode("kz1048")) == "kz1048"
    assert detect_encoding(kazakh.encode("utf-8")) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + kazakh.encode()) == "utf-8-sig"


@pytest.mark.django_db
def test_the_raw_evidence_built_as_text_is_the_raw_evidence_as_data():
    import json
    from datetime import UTC, datetime

    from django.utils import timezone

    from imports.services.rows import StageRow
    from imports.services.writing import Job, payload_json_maker, payload_of
    from tests.consents.factories import purpose

    job = Job(
        purpose=purpose(),
        subscribing=True, actor=None, now=timezone.now(), reason="", file_name='a "b" \\c.csv',
        sha256="f" * 64, list_kind="generic", source_detail="", withdrawal_channel="",
        suppression_reason="unsubscribed", evidence={},
    )  # fmt: skip
    moment = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    plain = StageRow(
        7, "a@b.kz", "d", "", None, "", "", "", "", "", "", "", "", None, None, None, "", "",
        None, "", "", None, None, "", "", "",
    )  # fmt: skip
    full = plain._replace(
        optin_time=moment, optin_ip="203.0.113.1", confirm_time=moment, confirm_ip="::1",
        source="Форма\tсайта", comment='=HYPERLINK("x")\n"quoted"', tags="\x7f\\",
    )  # fmt: skip
    make = payload_json_maker(job)

    for row in (plain, full):
        assert json.loads(make(row)) == payload_of(job, row)

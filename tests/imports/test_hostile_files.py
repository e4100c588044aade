"""Workbooks and text files built as an attacker (or a broken exporter) would build them.

Each is refused whole with a message, in the admin (a page, never a 500) and on the command
line (exit status 2, never a traceback), and nothing is written or read from outside the file.
"""

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from consents.models import Consent
from imports.models import ImportRun
from imports.services import ImportFailed, reading
from subjects.models import Subject
from tests.consents.factories import purpose
from tests.imports.conftest import counts_of, run_import, table_counts


def _workbook(rows: Sequence[Sequence[object]], *, shared: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(content: bytes, member: str, new: bytes) -> bytes:
    """The same workbook with one part replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info.filename))
        target.writestr(member, new)
    return out.getvalue()


def _part(content: bytes, member: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(content)).read(member)


ROWS = [["Email", "Имя", "Согласие"]] + [[f"x{n}@example.kz", "Анна", "да"] for n in range(5)]
SHEET = "xl/worksheets/sheet1.xml"


def test_a_stale_dimension_does_not_hide_the_rows_below_it():
    content = _workbook(ROWS)
    sheet = _part(content, SHEET)
    assert b'<dimension ref="A1:C6"' in sheet
    content = _rewrite(content, SHEET, sheet.replace(b'ref="A1:C6"', b'ref="A1:C2"'))

    table = reading.open_table(io.BytesIO(content))

    assert [cells[0] for _line, cells in table.records] == [f"x{n}@example.kz" for n in range(5)]


def _bomb_strings(count: int) -> bytes:
    items = b"<si><t>a</t></si>" * count
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (count, count)
        + items
        + b"</sst>"
    )


def _with_shared_strings(strings: bytes) -> bytes:
    content = _workbook(ROWS)
    return _rewrite(content, "xl/sharedStrings.xml", strings)


ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<si><t>&lol3;</t></si></sst>"
)


def _xxe(target: Path) -> bytes:
    content = _workbook(ROWS)
    sheet = _part(content, SHEET).decode()
    head, rest = sheet.split("<worksheet", 1)
    doctype = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{target}">]>'
    rest = rest.replace("x0@example.kz", "&xxe;", 1)
    return _rewrite(content, SHEET, (head + doctype + "<worksheet" + rest).encode())


def _corrupt_stream() -> bytes:
    """The sheet's compressed bytes damaged; the zip's directory intact."""
    content = bytearray(_workbook(ROWS * 200))
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 20, start + min(info.compress_size, 400), 7):
        content[offset] ^= 0x5A
    return bytes(content)


def _hostile_workbooks(tmp_path: Path) -> dict[str, tuple[bytes, str]]:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE")
    content = _workbook(ROWS)
    return {
        "shared-strings bomb": (
            _with_shared_strings(_bomb_strings(2_000_001)),
            "refused before it is read",
        ),
        "entity bomb": (_with_shared_strings(ENTITY_BOMB), "entities"),
        "xxe": (_xxe(secret), "entities"),
        "malformed xml": (_rewrite(content, SHEET, _part(content, SHEET)[:-40]), "Excel"),
        "corrupt zip stream": (_corrupt_stream(), "Excel"),
        "not a zip after its magic": (b"PK\x03\x04" + b"\x00" * 200, "Excel"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [
        "shared-strings bomb", "entity bomb", "xxe", "malformed xml", "corrupt zip stream",
        "not a zip after its magic",
    ],
)  # fmt: skip
def test_hostile_workbooks_are_refused_with_a_message(case, tmp_path):
    content, words = _hostile_workbooks(tmp_path)[case]
    before = table_counts()

    with pytest.raises(ImportFailed) as failure:
        run_import(content, name="list.xlsx")

    assert words.casefold() in failure.value.message.casefold()
    assert "TOP-SECRET" not in failure.value.message
    assert table_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["shared-strings bomb", "xxe", "corrupt zip stream"])
def test_the_command_exits_2_with_the_message_for_a_hostile_workbook(case, tmp_path, capsys):
    content, words = _hostile_workbooks(tmp_path)[case]
    path = tmp_path / "list.xlsx"
    path.write_bytes(content)
    purpose()

    with pytest.raises(CommandError) as failure:
        call_command("import_mailing_list", str(path), "--purpose", "newsletter")

    assert failure.value.returncode == 2
    assert words.casefold() in str(failure.value).casefold()


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["shared-strings bomb", "entity bomb", "xxe", "malformed xml"])
def test_the_admin_answers_a_hostile_workbook_with_its_message(case, tmp_path, officer_client):
    content, words = _hostile_workbooks(tmp_path)[case]
    before = table_counts()

    response = officer_client.post(
        reverse("admin:imports_importrun_import"),
        {
            "import_file": SimpleUploadedFile("list.xlsx", content),
            "format": "0",
            "resource": "0",
            "purpose": purpose().pk,
            "list_format": "auto",
            "encoding": "auto",
            "language": "auto",
        },
    )

    assert response.status_code == 200
    assert words.casefold() in response.content.decode().casefold()
    assert table_counts() == before


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_by_its_compression_ratio(monkeypatch):
    monkeypatch.setattr(reading, "XLSX_RATIO_FLOOR_BYTES", 1024)
    content = _with_shared_strings(b"<sst>" + b"<si><t>a</t></si>" * 50_000 + b"</sst>")

    with pytest.raises(ImportFailed, match="zip bomb"):
        run_import(content, name="list.xlsx")


@pytest.mark.django_db
def test_too_many_shared_strings_are_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(reading, "XLSX_MAX_SHARED_STRINGS", 1_000)
    content = _with_shared_strings(_bomb_strings(1_001))

    with pytest.raises(ImportFailed, match="shared strings"):
        run_import(content, name="list.xlsx")


@pytest.mark.django_db
def test_too_many_cells_are_refused_while_reading(monkeypatch):
    monkeypatch.setattr(reading, "XLSX_MAX_CELLS", 10)

    with pytest.raises(ImportFailed, match="cells"):
        run_import(_workbook(ROWS), name="list.xlsx")


@pytest.mark.django_db
def test_a_placeholder_date_rejects_its_row_and_never_breaks_the_import():
    content = (
        "Email;Дата подписки;Дата рождения\r\n"
        "a@example.kz;01.01.0001;\r\nb@example.kz;;01.01.0001\r\nc@example.kz;0001-01-01 00:00;\r\n"
    )

    report = run_import(content.encode())

    assert counts_of(report)["rejected"] == 3
    assert all("0001" in r.reason for r in report.files[0].rejected_rows)


HEADER = "ФИО;E-mail;Согласие\r\n"


def _rows(count: int, start: int = 0) -> str:
    return "".join(f"Петров{n} Иван;p{n}@example.kz;да\r\n" for n in range(start, start + count))


@pytest.mark.django_db
@pytest.mark.parametrize("rows_before", [10, 8000])  # within the detection sample, and beyond
def test_a_file_that_turns_from_windows_1251_to_utf8_is_refused_at_the_line_it_turns(rows_before):
    content = (HEADER + _rows(rows_before)).encode("cp1251") + _rows(3, rows_before).encode()

    with pytest.raises(ImportFailed) as failure:
        run_import(content)

    message = failure.value.message.casefold()
    assert f"line {rows_before + 2}" in message
    assert "encoding" in message
    assert not Subject.objects.exists()


@pytest.mark.django_db
def test_the_bad_byte_of_a_utf8_file_is_named_by_its_physical_line():
    # Far beyond the detection sample, and after a cell that spans two lines.
    rows = _rows(6000)
    multi_line = 'Петров Иван;"multi@example.kz";"да"\r\n'
    content = (HEADER + multi_line + rows).encode()
    content += "Әлиева Әлия;bad@example.kz;да\r\n".encode("kz1048") + _rows(5, 9000).encode()
    bad_line = content[: content.index(b"bad@example")].count(b"\n") + 1

    with pytest.raises(ImportFailed) as failure:
        run_import(content)

    assert f"Line {bad_line} " in failure.value.message
    assert bad_line == 6003


@pytest.mark.django_db
@pytest.mark.parametrize(
    "card",
    ["4111\u00a01111\u00a01111\u00a01111", "4111\u20091111\u20091111\u20091111",
     "4111  1111  1111  1111", "4111.1111.1111.1111", "4111/1111/1111/1111",
     "4111_1111_1111_1111", "4111 - 1111 - 1111 - 1111", "3782 822463 10005"],
)  # fmt: skip
def test_card_numbers_however_written_are_refused_and_blotted_out(card):
    content = f"Email;Комментарий\r\ncard@example.kz;оплата {card}\r\n"

    report = run_import(content.encode())

    [rejected] = report.files[0].rejected_rows
    assert "card" in rejected.reason
    assert "1111" not in " ".join(rejected.cells)
    assert not Subject.objects.exists()


@pytest.mark.django_db
def test_card_numbers_in_the_header_and_the_file_name_reach_nothing(officer):
    name = "клиенты_4111_1111_1111_1111.csv"
    content = "Email;Карта 5500 0000 0000 0004;Согласие\r\nok@example.kz;;да\r\n"

    report = run_import(content.encode(), name=name, actor=officer)

    file = report.files[0]
    assert "1111" not in file.name
    assert not any("0004" in header for header in file.ignored)
    consent = Consent.objects.get()
    assert "1111" not in consent.evidence
    assert "1111" not in consent.evidence_payload["file"]
    assert "1111" not in ImportRun.objects.get().file_name
    assert "1111" not in Subject.objects.get().source_detail

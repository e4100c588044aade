"""Files built to break the import: none may leave a partial import, or a 500 in the admin."""

import os

import pytest
from django.urls import reverse

from consents.models import Consent
from imports.services import ImportFailed
from subjects.models import Subject
from tests.consents.factories import purpose
from tests.imports.conftest import counts_of, run_import, table_counts

HEADER = "ФИО;E-mail;Телефон;Согласие на рассылку\r\n"


def _ok(n: int) -> str:
    return f"Петров{n} Иван;person{n}@example.kz;+7 701 000 00 {n:02d};да\r\n"


def _twenty_columns() -> bytes:
    header = ";".join(f"Колонка {n}" for n in range(20))
    row = ";".join(f"значение {n}" for n in range(20))
    return f"{header}\r\n{row}\r\n".encode()


UNREADABLE = {
    "empty": (b"", "empty"),
    "blank lines only": (b"\r\n\r\n  \r\n", "empty"),
    "binary garbage": (os.urandom(3000).replace(b"\x00", b"\x01") + b"\x00" * 40, "binary"),
    "utf-16": ("Email\r\na@b.kz\r\n".encode("utf-16"), "UTF-16"),
    "cp1251 forced as utf-8": ((HEADER + _ok(1)).encode("cp1251"), "UTF-8"),
    # Has "И" (bytes D0 98: 0x98 is no character in cp1251): not readable as cp1251 at all.
    "utf-8 forced as cp1251": ((HEADER + _ok(1)).encode("utf-8"), "cannot be read as cp1251"),
    # Readable byte by byte, but the letters come out as "Рџ", "Р°"...
    "utf-8 forced as kz1048": (
        "Email;Фамилия\r\na@b.kz;Петрова Анна Сергеевна\r\n".encode(),
        "garbled",
    ),
    "duplicated headers": ((b"E-mail;Email\r\na@b.kz;c@d.kz\r\n"), "same thing"),
    "twenty columns, no e-mail": (_twenty_columns(), "e-mail"),
    "quote never closed": ((HEADER + '"Петров;a@b.kz;;да\r\n' + "x" * 140_000).encode(), "quote"),
}
FORCED = {
    "cp1251 forced as utf-8": "utf-8",
    "utf-8 forced as cp1251": "cp1251",
    "utf-8 forced as kz1048": "kz1048",
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_an_unreadable_file_is_refused_whole_with_a_clear_message(case):
    content, words = UNREADABLE[case]
    before = table_counts()

    with pytest.raises(ImportFailed) as failure:
        run_import(content, encoding=FORCED.get(case, "auto"))

    assert words.casefold() in failure.value.message.casefold()
    assert table_counts() == before


@pytest.mark.django_db
def test_a_file_with_a_header_only_imports_nothing_and_writes_nothing():
    before = table_counts()

    report = run_import(HEADER.encode())

    assert report.totals()["rows"] == 0
    assert not report.importable
    assert table_counts() == before


@pytest.mark.django_db
def test_ragged_rows_are_rejected_with_their_line_and_the_rest_imported():
    content = HEADER + _ok(1) + "Сидоров;only@two.kz\r\n" + "A;b@c.kz;;да;extra\r\n" + _ok(2)

    report = run_import(content.encode())

    assert counts_of(report) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 0,
        "withdrawn": 0,
        "rejected": 2,
    }
    reasons = {rejected.line: rejected.reason for rejected in report.files[0].rejected_rows}
    assert set(reasons) == {3, 4}
    assert "2 cells" in reasons[3]
    assert "header has 4" in reasons[3]
    # Trailing empty cells (Excel writes them) are not ragged.
    assert run_import((HEADER + _ok(3).replace("\r\n", ";;\r\n")).encode()).totals()["created"] == 1


@pytest.mark.django_db
def test_formula_payloads_are_stored_as_text_and_never_evaluated():
    content = (
        "Email;First Name;Last Name;Комментарий;Согласие\r\n"
        '=cmd|" /C calc"!A0@x.kz;=1+1;@SUM(A1);"=HYPERLINK(""http://evil/"",""x"")";да\r\n'
        "ok@example.kz;=1+1;+7 (701);-2+3;да\r\n"
    )

    report = run_import(content.encode())

    assert report.totals()["created"] == 1
    assert "e-mail" in report.files[0].rejected_rows[0].reason
    subject = Subject.objects.get(email="ok@example.kz")
    assert (subject.first_name, subject.last_name) == ("=1+1", "+7 (701)")
    assert Consent.objects.get(subject=subject).evidence_payload["comment"] == "-2+3"


@pytest.mark.django_db
def test_card_numbers_are_refused_in_any_cell_and_never_reported_back():
    content = (
        "Email;Имя;Комментарий;Согласие\r\n"
        "card@example.kz;Анна;оплата картой 4111 1111 1111 1111;да\r\n"
        "fine@example.kz;Анна;номер заказа 1234 5678;да\r\n"
    )

    report = run_import(content.encode())

    assert report.totals()["created"] == 1
    [rejected] = report.files[0].rejected_rows
    assert rejected.line == 2
    assert "card" in rejected.reason
    assert "4111" not in " ".join(rejected.cells)
    assert not Subject.objects.filter(email="card@example.kz").exists()


@pytest.mark.django_db
def test_a_crash_in_the_middle_leaves_the_registers_exactly_as_before(monkeypatch):
    from imports.services import postgres

    def crash(self):
        raise RuntimeError("the server went away")

    monkeypatch.setattr(postgres.PostgresWriter, "finish", crash)
    before = table_counts()
    content = HEADER + "".join(_ok(n) for n in range(50))

    with pytest.raises(RuntimeError):
        run_import(content.encode())

    assert table_counts() == before


@pytest.mark.django_db
def test_cancelling_while_the_file_is_read_leaves_nothing(monkeypatch):
    """Ctrl-C reaches the reading thread's work as well as the writer's."""
    from imports.services import pipeline

    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 5)
    monkeypatch.setattr(pipeline, "FIRST_CHUNK_ROWS", 5)
    calls = []

    def progress(name, rows):
        calls.append(rows)
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "PROGRESS_EVERY", 20)
    before = table_counts()
    content = HEADER + "".join(_ok(n) for n in range(60))

    with pytest.raises(KeyboardInterrupt):
        run_import(content.encode(), progress=progress)

    assert calls == [20]
    assert table_counts() == before


HOSTILE_UPLOADS = {
    **{case: content for case, (content, _words) in UNREADABLE.items()},
    "header only": HEADER.encode(),
    "ragged": (HEADER + "Сидоров;only@two.kz\r\n").encode(),
    "formulas": b"Email;Name;Consent\r\n=1+1@x.kz;=SUM(A1);yes\r\n",
    "card number": b"Email;Note;Consent\r\nc@x.kz;4111111111111111;yes\r\n",
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(HOSTILE_UPLOADS))
def test_hostile_uploads_get_an_answer_in_the_admin_and_change_nothing(case, officer_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = table_counts()
    upload = SimpleUploadedFile("hostile.csv", HOSTILE_UPLOADS[case], content_type="text/csv")

    response = officer_client.post(
        reverse("admin:imports_importrun_import"),
        {
            "import_file": upload,
            "format": "0",
            "resource": "0",
            "purpose": purpose().pk,
            "list_format": "auto",
            "encoding": FORCED.get(case, "auto"),
        },
    )

    assert response.status_code == 200
    assert table_counts() == before

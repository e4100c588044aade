"""The list attached to the notice: exactly FIO, IIN and mobile phone, escaped, streamed."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from incidents.models import AffectedSource
from incidents.services import incident_subjects_add
from subjects.models import Source, Subject
from tests.incidents.factories import incident_open
from tests.subjects.factories import SubjectFactory

pytestmark = pytest.mark.django_db


def bulk_subjects(count: int, *, start: int = 0) -> list[int]:
    """Many subjects at once, for size tests only (the registers are written by services)."""
    now = timezone.now()
    Subject.objects.bulk_create(
        Subject(
            last_name=f"Сапарова{n}", first_name="Әсем", patronymic="Болатқызы",
            email=f"bulk{n}@example.kz", phone=f"+7702{n:07d}", iin="",
            source=Source.IMPORT, created_at=now, updated_at=now,
        )
        for n in range(start, start + count)
    )  # fmt: skip
    return list(
        Subject.objects.filter(email__startswith="bulk").order_by("pk").values_list("pk", flat=True)
    )


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_list_has_exactly_fio_iin_and_mobile_phone_in_kk_and_ru(client, officer):
    subject = SubjectFactory(
        last_name="Ким", first_name="Асель", patronymic="", iin="900101300017",
        phone="+77017654321", email="asel@example.kz", city="Алматы",
    )  # fmt: skip
    incident = incident_open(actor=officer, subjects=[subject])
    client.force_login(officer)
    base = reverse("admin:incidents_incident_list", args=[incident.pk, "csv"])

    kk = csv_rows(client.get(base + "?language=kk"))
    ru = csv_rows(client.get(base + "?language=ru"))

    assert kk[0] == ["Тегі, аты, әкесінің аты (бар болса)", "ЖСН", "Ұялы телефон нөмірі"]
    assert ru[0] == ["Фамилия, имя, отчество (при наличии)", "ИИН", "Номер мобильного телефона"]
    assert kk[1:] == ru[1:] == [["Ким Асель", "900101300017", "'+77017654321"]]


def test_formula_looking_names_are_escaped_in_csv_and_xlsx(client, officer):
    subject = SubjectFactory(last_name='=HYPERLINK("http://x")', first_name="@cmd", patronymic="")
    incident = incident_open(actor=officer, subjects=[subject])
    client.force_login(officer)

    rows = csv_rows(client.get(reverse("admin:incidents_incident_list", args=[incident.pk, "csv"])))
    response = client.get(reverse("admin:incidents_incident_list", args=[incident.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]

    assert rows[1][0] == '\'=HYPERLINK("http://x") @cmd'
    assert cells[1][0] == '\'=HYPERLINK("http://x") @cmd'
    assert cells[1][2] == f"'{subject.phone}"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_the_list(client, officer, fmt):
    incident = incident_open(actor=officer)
    client.force_login(officer)
    target = reverse("admin:incidents_incident_list", args=[incident.pk, fmt])

    def queries_for(count: int) -> tuple[int, int]:
        ids = bulk_subjects(count, start=Subject.objects.count())
        incident_subjects_add(
            incident=incident, subject_ids=ids, source=AffectedSource.SELECTOR, actor=officer
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(target)
            body = b"".join(response.streaming_content)
        rows = body.count(b"\n") if fmt == "csv" else len(body)
        return len(queries), rows

    few, few_rows = queries_for(20)
    many, many_rows = queries_for(2500)  # more than one chunk of the server-side cursor

    assert many == few
    assert many_rows > few_rows


def test_the_list_of_ten_thousand_streams_in_chunks(client, officer):
    incident = incident_open(actor=officer)
    ids = bulk_subjects(10_000)
    incident_subjects_add(
        incident=incident, subject_ids=ids, source=AffectedSource.SELECTOR, actor=officer
    )
    client.force_login(officer)

    response = client.get(
        reverse("admin:incidents_incident_list", args=[incident.pk, "csv"]) + "?language=ru"
    )
    first_chunk = next(iter(response.streaming_content))
    rest = b"".join(response.streaming_content)

    assert response.streaming
    assert len(first_chunk) < 200  # the header line: the rows follow as they are read
    assert (first_chunk + rest).count(b"\n") == 10_001

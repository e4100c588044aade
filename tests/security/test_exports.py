"""Changelist exports (CSV, XLSX): formula payloads escaped, numbers kept, every export logged."""

import csv
import io
import json
from datetime import date, datetime

import pytest
from django import forms
from django.urls import reverse
from openpyxl import load_workbook

from subjects.models import Subject
from tests.consents.factories import ConsentFactory, purpose
from tests.requests.factories import SubjectRequestFactory
from tests.subjects.factories import SubjectFactory

PAYLOADS = {
    "last_name": "=cmd|' /C calc'!A0",
    "first_name": "  =1+1",
    "patronymic": "\t=1+1",
    "city": "-2+3",
    "organisation": "@SUM(1+1)",
    "position": "==1+1",
    "address": '\r=HYPERLINK("http://evil.example")',
    "source_detail": "+1+1",
}


@pytest.fixture
def payload_subject(db):
    return SubjectFactory(
        **PAYLOADS,
        email="=1+1@example.com",
        phone="+7 701 234 56 78",
        birth_date=date(1990, 3, 21),
    )


def _export(client, url: str, file_format: str) -> bytes:
    form = client.get(url).context["form"]
    data = {name: "on" for name, f in form.fields.items() if isinstance(f, forms.BooleanField)}
    choices = {label: value for value, label in form.fields["format"].choices}
    response = client.post(url, {**data, "resource": "0", "format": choices[file_format]})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment")
    return response.content


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel reads Cyrillic
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_a_subject_csv_export_escapes_every_formula_and_the_phone(officer_client, payload_subject):
    content = _export(officer_client, reverse("admin:subjects_subject_export"), "csv")

    [row] = _csv_rows(content)
    for field, payload in PAYLOADS.items():
        assert row[field] == "'" + payload, field
    assert row["email"] == "'=1+1@example.com"
    assert row["phone"] == "'+77012345678"  # E.164 is text, and starts with "+"
    assert row["id"] == str(payload_subject.pk)


def test_a_subject_xlsx_export_holds_text_for_payloads_and_numbers_for_numbers(
    officer_client, payload_subject
):
    content = _export(officer_client, reverse("admin:subjects_subject_export"), "xlsx")

    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    for field, payload in PAYLOADS.items():
        assert cells[field].value.startswith("'"), field
        assert cells[field].value.lstrip("'").strip() == payload.strip(), field
    assert cells["phone"].value == "'+77012345678"
    assert cells["id"].value == payload_subject.pk  # a number, not text
    assert isinstance(cells["birth_date"].value, datetime | date)


def test_a_consent_export_escapes_the_subject_and_keeps_booleans(officer_client):
    ConsentFactory(subject=SubjectFactory(last_name="=2+2"), evidence="@evil")

    content = _export(officer_client, reverse("admin:consents_consent_export"), "xlsx")

    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert cells["evidence"].value == "'@evil"
    assert isinstance(cells["third_party_transfer"].value, bool | int)


def test_a_request_export_escapes_what_the_requester_wrote(officer_client):
    SubjectRequestFactory(requester_last_name="+SUM(A1:A9)", content="-1+1 please")

    [row] = _csv_rows(
        _export(officer_client, reverse("admin:requests_subjectrequest_export"), "csv")
    )

    assert row["requester_last_name"] == "'+SUM(A1:A9)"
    assert row["content"] == "'-1+1 please"


def test_exports_offer_only_csv_and_xlsx(officer_client):
    form = officer_client.get(reverse("admin:subjects_subject_export")).context["form"]

    labels = sorted(label for value, label in form.fields["format"].choices if value != "")

    assert labels == ["csv", "xlsx"]


def test_every_export_is_logged_with_user_model_format_and_count_but_no_data(
    officer_client, officer, payload_subject, security_log
):
    SubjectFactory(last_name="Сейітова")

    _export(officer_client, reverse("admin:subjects_subject_export"), "csv")

    [event] = [e for e in security_log.events() if e["event"] == "export"]
    assert event == {
        **event,
        "actor": officer.username,
        "actor_id": officer.pk,
        "model": "subjects.subject",
        "rows": Subject.objects.count(),
        "format": "csv",
    }
    line = json.dumps(event, ensure_ascii=False)
    assert "Сейітова" not in line
    assert "example.com" not in line


def test_the_mailing_list_export_is_logged_with_its_row_count(officer_client, security_log):
    newsletter = purpose("newsletter")
    ConsentFactory.create_batch(2, purpose=newsletter)

    response = officer_client.post(
        reverse("admin:consents_purpose_changelist"),
        {"action": "export_mailing_list", "_selected_action": [newsletter.pk]},
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert len(body.strip().splitlines()) == 3
    [event] = security_log.events("export")
    assert event == {**event, "model": "consents.consent", "rows": 2, "format": "csv"}

"""The depersonalised export (Art. 17(1)): no e-mail, phone, name, IIN or address leaves."""

import csv
import io
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from consents.depersonalised import CITY_MIN_SUBJECTS, depersonalised_rows, subject_pseudonym
from erasure.services import subject_erase
from tests.consents.factories import ConsentFactory
from tests.erasure import canary
from tests.subjects.factories import SubjectFactory


def seed(marker: str, count: int = 3):
    """Subjects whose every identifier carries `marker`; a shared city and a rare one."""
    subjects = []
    for index in range(count):
        subject = SubjectFactory(
            last_name=f"Фамилия{marker}{index}", first_name=f"Имя{marker}", patronymic=marker,
            email=f"{marker}{index}@example.kz", phone=f"+7701555{index:04d}",
            iin="900101300017" if index == 0 else "", address=f"ул. {marker}, {index}",
            birth_date=date(1990, 5, 17), city=f"Деревня{marker}",
            position=f"Position {marker}", organisation=f"Org {marker}",
        )  # fmt: skip
        ConsentFactory(subject=subject)
        subjects.append(subject)
    for _index in range(CITY_MIN_SUBJECTS):
        ConsentFactory(subject=SubjectFactory(city=" алматы ", birth_date=date(1985, 1, 2)))
    return subjects


def needles(marker: str) -> list[str]:
    return [marker, "+7701555", "7701555", "900101300017", "@example", "17.05", "05-17"]


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_no_identifier_leaves_in_the_export(officer_client, file_format):
    marker = canary.new_marker()
    subjects = seed(marker)

    response = officer_client.get(
        reverse("admin:consents_consent_depersonalised"), {"format": file_format}
    )

    assert response.status_code == 200
    if file_format == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    dump = "\n".join(cells)
    for needle in needles(marker):
        assert needle.casefold() not in dump.casefold(), needle
    for subject in subjects:
        assert subject.email.split("@")[0] not in dump
    # What stays, generalised: the year, the shared city, the pseudonym.
    assert "1990" in cells
    assert "Алматы" in cells
    assert subject_pseudonym(subjects[0].pk) in cells


@pytest.mark.django_db
def test_the_pseudonym_is_stable_and_not_the_id():
    subject = SubjectFactory()
    ConsentFactory(subject=subject)

    first = next(depersonalised_rows())[0]

    assert first == subject_pseudonym(subject.pk) == next(depersonalised_rows())[0]
    # Keyed, not a function of the id alone (a 20-digit hex name may hold the id's digits by
    # chance, so "the id is not in it" would fail now and then).
    assert first != str(subject.pk)
    with override_settings(SECRET_KEY="another-secret-key-for-this-test-only-0123456789"):
        assert subject_pseudonym(subject.pk) != first
    assert subject_pseudonym(subject.pk) != subject_pseudonym(subject.pk + 1)


@pytest.mark.django_db
def test_erased_subjects_are_left_out(officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ERASURE_JOURNAL_PATH = tmp_path / "journal.jsonl"
    subject = SubjectFactory()
    ConsentFactory(subject=subject)
    subject_erase(subject=subject, actor=officer, reason="Request")

    assert list(depersonalised_rows()) == []


@pytest.mark.django_db
def test_the_auditor_may_not_export(client, auditor):
    client.force_login(auditor)

    response = client.get(reverse("admin:consents_consent_depersonalised"), {"format": "csv"})
    page = client.get(reverse("admin:consents_consent_changelist"))

    assert response.status_code == 403
    assert reverse("admin:consents_consent_depersonalised") not in page.content.decode()


@pytest.mark.django_db
def test_the_page_explains_the_export(officer_client):
    response = officer_client.get(
        reverse("admin:consents_consent_depersonalised"), HTTP_ACCEPT_LANGUAGE="ru"
    )
    listing = officer_client.get(reverse("admin:consents_consent_changelist"))

    assert response.status_code == 200
    assert "format=csv" in response.content.decode()
    assert reverse("admin:consents_consent_depersonalised") in listing.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("subjects", [2, 12])
def test_the_export_reads_in_the_same_queries_however_many_rows(
    subjects, django_assert_num_queries
):
    for _index in range(subjects):
        ConsentFactory(subject=SubjectFactory(city="Астана"))

    with django_assert_num_queries(2):  # the named cities, then the consents with their subjects
        rows = list(depersonalised_rows())

    assert len(rows) == subjects

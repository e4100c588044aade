"""What a user met: rejected rows kept and given back as the list was written, the preview in
words, no dead "Format" choice, and the people's language from the list or the import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from erasure.services import subject_erase
from imports.models import ImportRun, RejectedRow
from subjects.models import Subject
from tests.consents.factories import purpose
from tests.imports.conftest import run_import
from tests.subjects.factories import SubjectFactory

CP1251_LIST = (
    "ФИО;E-mail;Телефон;Согласие\r\n"
    "Петров Иван;ivan@example.kz;+7 701 000 00 01;да\r\n"
    "Сидорова Анна;anna@example.kz;7,70E+10;да\r\n"
    "Ким Олег;not an address;;да\r\n"
).encode("cp1251")


@pytest.mark.django_db
def test_the_import_record_keeps_its_rejected_rows_and_links_the_people_it_knows(officer):
    anna = SubjectFactory(email="anna@example.kz")

    run_import(CP1251_LIST, actor=officer)

    run = ImportRun.objects.get()
    assert (run.encoding, run.delimiter, run.header) == (
        "cp1251", ";", ["ФИО", "E-mail", "Телефон", "Согласие"],
    )  # fmt: skip
    rows = list(RejectedRow.objects.order_by("line"))
    assert [(row.line, row.subject_id) for row in rows] == [(3, anna.pk), (4, None)]
    assert rows[0].cells == ["Сидорова Анна", "anna@example.kz", "7,70E+10", "да"]
    assert "Excel" in rows[0].reason


@pytest.mark.django_db
def test_the_kept_rejected_rows_download_later_as_the_list_was_written(officer, officer_client):
    run_import(CP1251_LIST, actor=officer)
    run = ImportRun.objects.get()

    page = officer_client.get(reverse("admin:imports_importrun_change", args=[run.pk]))
    response = officer_client.get(reverse("admin:imports_importrun_rejected_rows", args=[run.pk]))

    assert reverse("admin:imports_importrun_rejected_rows", args=[run.pk]) in page.content.decode()
    assert response["Content-Type"] == "text/csv; charset=windows-1251"
    lines = response.content.decode("cp1251").splitlines()
    assert lines[0] == "Line;Reason;ФИО;E-mail;Телефон;Согласие"
    assert lines[1].startswith("3;")
    assert lines[1].endswith(";Сидорова Анна;anna@example.kz;7,70E+10;да")
    assert lines[2].startswith("4;")


@pytest.mark.django_db
def test_the_rejected_rows_need_the_right_to_see_imports(officer, client, no_role_user):
    run_import(CP1251_LIST, actor=officer)
    client.force_login(no_role_user)

    url = reverse("admin:imports_importrun_rejected_rows", args=[ImportRun.objects.get().pk])

    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_erasing_a_person_blanks_the_rejected_rows_that_name_them(officer):
    anna = SubjectFactory(email="anna@example.kz")
    run_import(CP1251_LIST, actor=officer)

    subject_erase(subject=anna, actor=officer, reason="Request of the person")

    row = RejectedRow.objects.get(line=3)
    assert (row.cells, row.reason) == ([], "")
    assert RejectedRow.objects.get(line=4).cells != []  # someone else's row stays


@pytest.mark.django_db
def test_a_dry_run_keeps_no_rejected_rows():
    run_import(CP1251_LIST, dry_run=True)

    assert not RejectedRow.objects.exists()


@pytest.mark.django_db
def test_the_preview_names_columns_in_words_and_offers_no_format_choice(officer_client):
    form_page = officer_client.get(reverse("admin:imports_importrun_import"))
    response = officer_client.post(
        reverse("admin:imports_importrun_import"),
        {
            "import_file": SimpleUploadedFile("list.csv", CP1251_LIST),
            "resource": "0",
            "purpose": purpose().pk,
            "list_format": "auto",
            "encoding": "auto",
            "language": "auto",
        },
    )

    assert 'name="format"' not in form_page.content.decode()
    page = response.content.decode()
    assert response.context["file"].rows == 3
    assert "“ФИО” → full name (last name first)" in page
    assert "full_name_fio" not in page


LANGUAGE_LIST = (
    "Email;Аты-жөні\r\n"
    "aliya@example.kz;Әлия Қасымова\r\n"
    "ivan@example.kz;Иван Петров\r\n"
    "john@example.kz;John Smith\r\n"
    "nobody@example.kz;\r\n"
).encode()


@pytest.mark.django_db
def test_the_preferred_language_follows_the_letters_of_the_names():
    run_import(LANGUAGE_LIST)

    languages = dict(Subject.objects.values_list("email", "preferred_language"))
    default = Subject._meta.get_field("preferred_language").default
    assert languages == {
        "aliya@example.kz": "kk", "ivan@example.kz": "ru", "john@example.kz": "en",
        "nobody@example.kz": default,
    }  # fmt: skip


@pytest.mark.django_db
def test_the_preferred_language_can_be_an_option_of_the_import_or_a_column():
    run_import(LANGUAGE_LIST, language="ru")
    run_import(b"Email;Name;Language\r\ncol@example.kz;John Smith;kk\r\n", language="en")

    assert set(Subject.objects.exclude(email="col@example.kz").values_list(
        "preferred_language", flat=True
    )) == {"ru"}  # fmt: skip
    assert Subject.objects.get(email="col@example.kz").preferred_language == "kk"

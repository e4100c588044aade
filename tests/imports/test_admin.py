"""The admin import: upload, preview (the import rolled back), confirm; the file kept in the
database in parts until confirmed or expired, never on disk."""

import tempfile
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consents.models import Consent
from imports.models import ImportRun, ImportUpload
from subjects.models import Subject
from tests.consents.factories import purpose
from tests.imports.conftest import sample, table_counts

IMPORT_URL = "admin:imports_importrun_import"
CONFIRM_URL = "admin:imports_importrun_process_import"


def _upload(client: Client, path: Path, *, name: str | None = None, **fields: str):
    data = {
        "import_file": SimpleUploadedFile(name or path.name, path.read_bytes()),
        "format": "0",
        "resource": "0",
        "purpose": purpose().pk,
        "list_format": "auto",
        "encoding": "auto",
        **fields,
    }
    return client.post(reverse(IMPORT_URL), data)


@pytest.mark.django_db
def test_the_import_page_is_for_those_who_may_add_imports(officer_client, client, auditor):
    assert officer_client.get(reverse(IMPORT_URL)).status_code == 200
    assert officer_client.get(reverse("admin:imports_importrun_changelist")).status_code == 200
    client.force_login(auditor)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert client.get(reverse("admin:imports_importrun_changelist")).status_code == 200


@pytest.mark.django_db
def test_staff_may_import(client, staff_user):
    client.force_login(staff_user)

    assert _upload(client, sample("volunteers_kk_utf8_bom.csv")).status_code == 200


@pytest.mark.django_db
def test_preview_shows_the_counts_and_the_rejected_rows_with_their_lines(officer_client):
    before = table_counts()

    response = _upload(officer_client, sample("donors_ru_cp1251.csv"))

    assert response.status_code == 200
    file = response.context["file"]
    assert (file.outcome.created, file.rejected) == (3, 3)
    page = response.content.decode()
    assert '<td class="created">3</td>' in page
    assert '<td class="rejected">3</td>' in page
    for line in (4, 5, 7):
        assert f"<tr><td>{line}</td>" in page
    assert "7,71E+10" in page
    assert "Excel" in page
    assert 'name="confirm"' in page
    assert 'name="download_rejects"' in page
    assert table_counts() == before  # a preview writes nothing


@pytest.mark.django_db
def test_confirming_imports_the_file_with_history_naming_the_user(
    officer_client, officer, django_capture_on_commit_callbacks
):
    preview = _upload(officer_client, sample("volunteers_kk_utf8_bom.csv"))
    token = preview.context["confirm_form"].initial["upload"]

    with django_capture_on_commit_callbacks(execute=True):  # the job, inline
        response = officer_client.post(reverse(CONFIRM_URL), {"upload": token, "confirm": "1"})

    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("admin:imports_importrun_change", args=[run.pk])
    assert Subject.objects.count() == 6
    history = Subject.history.get(email="daulet.sarsenbayev@example.kz")
    assert history.history_user == officer
    assert "volunteers_kk_utf8_bom.csv" in history.history_change_reason
    run.refresh_from_db()
    assert (run.channel, run.imported_by, run.created, run.rejected) == ("admin", officer, 6, 1)
    assert (run.state, run.rows, run.written) == ("done", 7, 6)
    assert not ImportUpload.objects.exists()  # the file is gone
    page = officer_client.get(response["Location"]).content.decode()
    assert "<progress" not in page  # the report only
    assert 'http-equiv="refresh"' not in page


@pytest.mark.django_db
def test_an_upload_never_confirmed_is_kept_in_the_database_an_hour_and_never_on_disk(
    officer_client, officer, settings, tmp_path, monkeypatch
):
    uploads, temp = tmp_path / "uploads", tmp_path / "tmp"
    uploads.mkdir()
    temp.mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # even a small upload goes to a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(uploads)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # import-export's default storage
    content = sample("subscribed_members_export_7c41d09e2a.csv").read_bytes()

    response = _upload(officer_client, sample("subscribed_members_export_7c41d09e2a.csv"))

    assert response.context["file"].outcome.created == 5
    assert list(uploads.iterdir()) == []
    assert list(temp.iterdir()) == []
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))
    kept = ImportUpload.objects.get()
    assert (bytes(kept.content), kept.run, kept.staged_by) == (content, None, officer)

    # An hour later the daily clean-up deletes it, and the preview can no longer be confirmed.
    ImportUpload.objects.update(staged_at=timezone.now() - timedelta(minutes=59))
    call_command("delete_orphan_files", stdout=StringIO())
    assert ImportUpload.objects.exists()
    ImportUpload.objects.update(staged_at=timezone.now() - timedelta(minutes=61))
    out = StringIO()
    call_command("delete_orphan_files", stdout=out)
    assert not ImportUpload.objects.exists()
    assert "1 files of import previews never confirmed deleted." in out.getvalue()
    token = response.context["confirm_form"].initial["upload"]
    confirmed = officer_client.post(reverse(CONFIRM_URL), {"upload": token, "confirm": "1"})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse(IMPORT_URL)
    assert not ImportRun.objects.exists()
    assert Subject.objects.count() == 0
    follow = officer_client.get(confirmed["Location"]).content.decode()
    assert "This preview has expired or was altered: upload the file again." in follow


@pytest.mark.django_db
def test_a_new_upload_deletes_the_expired_previews_of_everyone(officer_client, staff_user):
    _upload(officer_client, sample("volunteers_kk_utf8_bom.csv"))
    ImportUpload.objects.update(staged_at=timezone.now() - timedelta(hours=2))
    client = Client()
    client.force_login(staff_user)

    _upload(client, sample("donors_ru_cp1251.csv"))

    assert list(ImportUpload.objects.values_list("staged_by", flat=True)) == [staff_user.pk]


@pytest.mark.django_db
def test_an_altered_or_foreign_preview_is_refused(officer_client, client, staff_user):
    preview = _upload(officer_client, sample("volunteers_kk_utf8_bom.csv"))
    token = preview.context["confirm_form"].initial["upload"]

    altered = officer_client.post(reverse(CONFIRM_URL), {"upload": token[:-3] + "abc"})
    client.force_login(staff_user)
    foreign = client.post(reverse(CONFIRM_URL), {"upload": token, "confirm": "1"})

    assert altered.status_code == foreign.status_code == 302
    assert Subject.objects.count() == 0


@pytest.mark.django_db
def test_the_rejected_rows_can_be_downloaded(officer_client):
    preview = _upload(officer_client, sample("donors_ru_cp1251.csv"))
    token = preview.context["confirm_form"].initial["upload"]

    response = officer_client.post(reverse(CONFIRM_URL), {"upload": token, "download_rejects": "1"})

    # Back as the list came: Windows-1251, semicolons.
    assert response["Content-Type"] == "text/csv; charset=windows-1251"
    lines = response.content.decode("cp1251").splitlines()
    assert lines[0].startswith("Line;Reason;ФИО")
    assert [line.split(";")[0] for line in lines[1:] if line[:1].isdigit()] == ["4", "5", "7"]
    assert Consent.objects.count() == 0


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_sent_to_the_command(officer_client, settings):
    settings.IMPORT_ADMIN_MAX_BYTES = 100
    response = _upload(officer_client, sample("volunteers_kk_utf8_bom.csv"))

    assert response.status_code == 200
    assert "import_mailing_list" in " ".join(response.context["form"].errors["import_file"])
    assert Subject.objects.count() == 0
    assert not ImportUpload.objects.exists()


@pytest.mark.django_db
def test_a_long_file_is_previewed_by_its_first_rows_and_imported_whole(
    officer_client, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ADMIN_PREVIEW_ROWS = 2
    preview = _upload(officer_client, sample("volunteers_kk_utf8_bom.csv"))
    file = preview.context["file"]
    assert (file.rows, file.truncated) == (2, True)
    assert "first 2 rows" in preview.content.decode()

    token = preview.context["confirm_form"].initial["upload"]
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse(CONFIRM_URL), {"upload": token, "confirm": "1"})

    assert Subject.objects.count() == 6
    assert ImportRun.objects.get().rows == 7


@pytest.mark.django_db
def test_a_file_that_changes_nothing_offers_no_confirmation(
    officer_client, django_capture_on_commit_callbacks
):
    token = _upload(officer_client, sample("volunteers_kk_utf8_bom.csv")).context["confirm_form"]
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            reverse(CONFIRM_URL), {"upload": token.initial["upload"], "confirm": "1"}
        )

    again = _upload(officer_client, sample("volunteers_kk_utf8_bom.csv"))

    assert again.context["file"].outcome.unchanged == 6
    assert 'name="confirm"' not in again.content.decode()
    assert "Nothing in this file would change the registers." in again.content.decode()
    assert again.context["file"].rejected == 1  # kept only for its rejected rows' download
    assert ImportUpload.objects.filter(run=None).values("stage").distinct().count() == 1


@pytest.mark.django_db
def test_a_file_with_nothing_to_confirm_or_download_is_not_kept(officer_client, tmp_path):
    path = tmp_path / "nothing.csv"
    path.write_bytes(b"Email\n")

    page = _upload(officer_client, path)

    assert page.status_code == 200
    assert page.context["file"].rejected == 0
    assert not page.context["report"].changed
    assert 'name="download_rejects"' not in page.content.decode()
    assert not ImportUpload.objects.exists()


@pytest.mark.django_db
def test_opening_the_confirm_address_leads_back_to_the_form(officer_client, client, no_role_user):
    response = officer_client.get(reverse(CONFIRM_URL))
    client.force_login(no_role_user)

    assert response.status_code == 302
    assert response["Location"] == reverse(IMPORT_URL)
    assert client.get(reverse(CONFIRM_URL)).status_code == 403


@pytest.mark.django_db
def test_a_file_larger_than_a_part_is_kept_in_parts_cut_at_line_breaks_and_imported_whole(
    officer_client, monkeypatch, django_capture_on_commit_callbacks, tmp_path
):
    from imports.services import uploads

    monkeypatch.setattr(uploads, "PART_BYTES", 100)
    lines = ["Email,Имя,Фамилия"] + [f"part{n}@example.kz,Айгерим,Касымова{n}" for n in range(40)]
    path = tmp_path / "long.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode())

    preview = _upload(officer_client, path)

    parts = [
        bytes(p) for p in ImportUpload.objects.order_by("number").values_list("content", flat=True)
    ]
    assert len(parts) > 10
    assert b"".join(parts) == path.read_bytes()
    assert all(part.endswith(b"\n") and len(part) <= 100 for part in parts)
    token = preview.context["confirm_form"].initial["upload"]
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse(CONFIRM_URL), {"upload": token, "confirm": "1"})
    run = ImportRun.objects.get()
    assert (run.state, run.created, run.options["rows_estimate"]) == ("done", 40, 40)
    assert Subject.objects.filter(email__startswith="part").count() == 40
    assert not ImportUpload.objects.exists()


@pytest.mark.django_db
def test_an_xlsx_upload_is_kept_and_imported_from_its_parts(
    officer_client, monkeypatch, django_capture_on_commit_callbacks, tmp_path
):
    from openpyxl import Workbook

    from imports.services import uploads

    monkeypatch.setattr(uploads, "PART_BYTES", 1000)  # a zip has few line breaks: cut anywhere
    book = Workbook()
    book.active.append(["Электронная почта", "ФИО"])
    for n in range(30):
        book.active.append([f"book{n}@example.kz", f"Петров Иван{n}"])
    path = tmp_path / "list.xlsx"
    book.save(path)

    preview = _upload(officer_client, path)

    assert ImportUpload.objects.count() > 1
    token = preview.context["confirm_form"].initial["upload"]
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse(CONFIRM_URL), {"upload": token, "confirm": "1"})
    run = ImportRun.objects.get()
    assert (run.state, run.created, run.options["rows_estimate"]) == ("done", 30, 0)


@pytest.mark.django_db
def test_erasing_a_person_deletes_a_previewed_file_that_names_them(officer_client, officer):
    from erasure.services import subject_erase
    from tests.subjects.factories import SubjectFactory

    person = SubjectFactory(email="daulet.sarsenbayev@example.kz")
    naming = _upload(officer_client, sample("volunteers_kk_utf8_bom.csv"))
    other = _upload(officer_client, sample("donors_ru_cp1251.csv"))
    kept = set(ImportUpload.objects.values_list("stage", flat=True))

    subject_erase(subject=person, actor=officer, reason="request")

    assert len(kept) == 2
    assert ImportUpload.objects.count() == 1
    token = naming.context["confirm_form"].initial["upload"]
    refused = officer_client.post(reverse(CONFIRM_URL), {"upload": token, "confirm": "1"})
    assert refused["Location"] == reverse(IMPORT_URL)
    assert not ImportRun.objects.exists()
    token = other.context["confirm_form"].initial["upload"]
    assert (
        officer_client.post(reverse(CONFIRM_URL), {"upload": token, "confirm": "1"}).status_code
        == 302
    )
    assert ImportRun.objects.count() == 1

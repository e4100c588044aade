"""The admin import: upload, preview (the import rolled back), confirm; nothing kept on disk."""

import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

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
def test_an_upload_never_confirmed_leaves_no_file_anywhere(officer_client, settings, tmp_path,
                                                         monkeypatch):  # fmt: skip
    uploads, temp = tmp_path / "uploads", tmp_path / "tmp"
    uploads.mkdir()
    temp.mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # even a small upload goes to a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(uploads)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # import-export's default storage

    response = _upload(officer_client, sample("subscribed_members_export_7c41d09e2a.csv"))

    assert response.context["file"].outcome.created == 5
    assert list(uploads.iterdir()) == []
    assert list(temp.iterdir()) == []
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))


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


@pytest.mark.django_db
def test_opening_the_confirm_address_leads_back_to_the_form(officer_client, client, no_role_user):
    response = officer_client.get(reverse(CONFIRM_URL))
    client.force_login(no_role_user)

    assert response.status_code == 302
    assert response["Location"] == reverse(IMPORT_URL)
    assert client.get(reverse(CONFIRM_URL)).status_code == 403

"""Admin imports as jobs: enqueued with their record, progress on the import's page, the report
at the end, a failure told on the page. (A worker killed mid-import: tests/jobs.)"""

import io

import pytest
from django.urls import reverse
from django.utils import translation

from imports.models import ImportRun, ImportState, ImportUpload
from imports.services.queued import import_enqueue, import_run_queued
from imports.services.uploads import upload_stage
from subjects.models import Subject
from tests.consents.factories import purpose
from tests.imports.conftest import sample


def _enqueue(officer, content: bytes, name: str = "list.csv") -> ImportRun:
    staged = upload_stage(io.BytesIO(content), user=officer)
    return import_enqueue(name=name, staged=staged, purpose=purpose(), actor=officer)


@pytest.mark.django_db
def test_the_job_is_enqueued_with_the_import_record(officer, settings):
    from procrastinate.contrib.django.models import ProcrastinateJob

    settings.JOBS_INLINE = False

    run = _enqueue(officer, sample("volunteers_kk_utf8_bom.csv").read_bytes())

    job = ProcrastinateJob.objects.get(task_name="import_file")
    assert (job.args, job.queue_name, job.status) == ({"run_id": run.pk}, "imports", "todo")
    assert (run.state, run.options["rows_estimate"]) == ("queued", 7)
    assert Subject.objects.count() == 0


@pytest.mark.django_db
def test_a_running_import_shows_its_progress_and_refreshes_itself(officer_client, officer):
    run = _enqueue(officer, sample("volunteers_kk_utf8_bom.csv").read_bytes())
    ImportRun.objects.filter(pk=run.pk).update(
        state=ImportState.RUNNING, rows=4, written=3, rejected=1
    )
    url = reverse("admin:imports_importrun_change", args=[run.pk])

    page = officer_client.get(url).content.decode()

    assert 'http-equiv="refresh"' in page
    assert '<progress value="4" max="7">' in page
    assert "Rows read: 4 · written: 3 · rejected: 1" in page
    with translation.override("ru"):
        russian = officer_client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Прочитано строк: 4" in russian


@pytest.mark.django_db
def test_the_job_imports_once_and_a_second_run_writes_nothing(officer):
    run = _enqueue(officer, sample("volunteers_kk_utf8_bom.csv").read_bytes())

    import_run_queued(run_id=run.pk)
    import_run_queued(run_id=run.pk)  # the queue delivers at least once

    run.refresh_from_db()
    assert (run.state, run.created, run.written) == ("done", 6, 6)
    assert not ImportUpload.objects.exists()
    assert Subject.objects.count() == 6
    assert Subject.history.count() == 6


@pytest.mark.django_db
def test_a_file_that_cannot_be_imported_fails_on_its_page(officer_client, officer):
    run = _enqueue(officer, b"\x00\x01 not a list", name="broken.csv")

    import_run_queued(run_id=run.pk)

    run.refresh_from_db()
    assert run.state == "failed"
    assert not ImportUpload.objects.exists()
    assert run.error
    page = officer_client.get(reverse("admin:imports_importrun_change", args=[run.pk]))
    assert run.error in page.content.decode()
    assert Subject.objects.count() == 0


@pytest.mark.django_db
def test_erasing_a_person_cancels_a_waiting_import_that_names_them(officer, settings):
    from erasure.services import subject_erase
    from tests.subjects.factories import SubjectFactory

    settings.JOBS_INLINE = False
    person = SubjectFactory(email="daulet.sarsenbayev@example.kz")
    naming = _enqueue(officer, sample("volunteers_kk_utf8_bom.csv").read_bytes())
    other = _enqueue(officer, b"Email\nsomeone.else@example.kz\n", name="other.csv")

    subject_erase(subject=person, actor=officer, reason="request")

    naming.refresh_from_db()
    other.refresh_from_db()
    assert (naming.state, other.state) == ("failed", "queued")
    assert list(ImportUpload.objects.values_list("run_id", flat=True)) == [other.pk]

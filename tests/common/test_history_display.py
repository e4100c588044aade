"""History pages an auditor can read: labels not codes, local time, who acted instead of None."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from common.history import save_with_history
from requests.models import RequestStatus
from tests.requests.factories import SubjectRequestFactory


@pytest.fixture(autouse=True)
def _language_restored():
    """Pages asked for in kk or ru leave that language active in this thread: put it back."""
    with translation.override(translation.get_language()):
        yield


def _history_page(client, subject_request, language: str) -> str:
    url = reverse("admin:requests_subjectrequest_history", args=[subject_request.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_status_change_reads_as_labels_in_the_readers_language(officer_client, officer, language):
    subject_request = SubjectRequestFactory()
    subject_request.status = RequestStatus.IN_PROGRESS
    save_with_history(subject_request, actor=officer, reason="Changed in the admin")

    page = _history_page(officer_client, subject_request, language)

    with translation.override(language):
        received, in_progress = (
            str(RequestStatus.RECEIVED.label),
            str(RequestStatus.IN_PROGRESS.label),
        )
        reason = translation.gettext("Changed in the admin")
    assert received in page
    assert in_progress in page
    assert "in_progress" not in page
    assert reason in page


@pytest.mark.django_db
def test_history_written_without_a_user_names_what_acted(officer_client):
    subject_request = SubjectRequestFactory()
    save_with_history(subject_request, actor=None, reason="Unsubscribe link")
    subject_request.content = "changed"
    save_with_history(
        subject_request,
        actor=None,
        reason="Import of the mailing list “old-list.csv” (SHA-256 0123abcd)",
    )
    subject_request.content = "changed again"
    save_with_history(subject_request, actor=None, reason="Received by e-mail")

    page = _history_page(officer_client, subject_request, "en")

    assert "the subject (unsubscribe link)" in page
    assert "system (import of old-list.csv)" in page
    assert "<em>system</em>" in page
    assert ">None<" not in page
    assert "None\n" not in page


@pytest.mark.django_db
def test_history_times_are_shown_in_almaty_time(officer_client):
    subject_request = SubjectRequestFactory()
    # simple-history dates a row by the instance's _history_date when it has one.
    subject_request._history_date = datetime(2026, 3, 2, 20, 30, tzinfo=UTC)  # 3 March in Almaty
    save_with_history(subject_request, actor=None, reason="test")
    record = subject_request.history.order_by("history_date").first()

    page = _history_page(officer_client, subject_request, "en")

    with translation.override("en"):
        shown = formats.date_format(
            timezone.localtime(record.history_date), "SHORT_DATETIME_FORMAT"
        )
    assert "03/03/2026" in shown or "03.03.2026" in shown or "2026-03-03" in shown, shown
    assert shown in page
    assert "Almaty time" in page

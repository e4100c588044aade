"""The log of inquiries from state bodies (Art. 25(2)(3-1)): received, due, answered; erasure
reaches what an inquiry says about a person."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from common.models import CalendarDay, CalendarDayKind
from common.workdays import WorkCalendar, work_calendar
from erasure.services import subject_erase
from inquiries.models import AuthorityInquiry
from inquiries.services import inquiry_answer, inquiry_record
from tests.erasure import canary
from tests.subjects.factories import SubjectFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ERASURE_JOURNAL_PATH = tmp_path / "journal.jsonl"
    return settings.MEDIA_ROOT


def record(officer, **overrides) -> AuthorityInquiry:
    values = {
        "actor": officer, "reason": "Letter received", "received_on": date(2026, 1, 5),
        "body_kind": "authorised_body", "body": "Министрлік", "reference_number": "ЖТ-12",
        "subject_matter": "Өңдеу тәсілдері туралы ақпарат",
    }  # fmt: skip
    return inquiry_record(**{**values, **overrides})


@pytest.mark.django_db
def test_the_due_date_counts_the_working_days_the_inquiry_gives(officer):
    # Friday 9 Jan 2026 made a day off by the ministry: it does not count.
    without_it = WorkCalendar().add_days(date(2026, 1, 5), 10)
    CalendarDay.objects.create(date=date(2026, 1, 9), kind=CalendarDayKind.DAY_OFF, note="x")

    inquiry = record(officer, within_working_days=10)

    assert inquiry.due_on == work_calendar().add_days(date(2026, 1, 5), 10)
    assert inquiry.due_on == without_it + timedelta(days=1)
    assert inquiry.recorded_by == officer
    assert inquiry.history.get().history_change_reason == "Letter received"


@pytest.mark.django_db
def test_a_due_date_is_required_and_said_once(officer):
    with pytest.raises(DomainError) as missing:
        record(officer)
    with pytest.raises(DomainError) as twice:
        record(officer, due_on=date(2026, 1, 9), within_working_days=3)

    assert missing.value.code == "due_missing"
    assert twice.value.code == "due_twice"
    assert not AuthorityInquiry.objects.exists()


@pytest.mark.django_db
def test_an_answer_is_recorded_once(officer):
    inquiry = record(officer, due_on=date(2026, 1, 9))

    inquiry_answer(inquiry=inquiry, answered_on=date(2026, 1, 8), actor=officer, reason="Sent")

    with pytest.raises(DomainError):
        inquiry_answer(inquiry=inquiry, answered_on=date(2026, 1, 9), actor=officer, reason="x")
    inquiry.refresh_from_db()
    assert inquiry.answered_on == date(2026, 1, 8)
    assert not inquiry.is_overdue


@pytest.mark.django_db
def test_an_erased_subject_is_not_named_in_a_new_inquiry(officer, media):
    subject = SubjectFactory()
    subject_erase(subject=subject, actor=officer, reason="Request")

    with pytest.raises(DomainError):
        record(officer, due_on=date(2026, 1, 9), subjects=[subject])

    assert not AuthorityInquiry.objects.exists()


@pytest.mark.django_db
def test_erasure_blanks_what_an_inquiry_says_about_the_person(
    officer, media, django_capture_on_commit_callbacks
):
    marker = canary.new_marker()
    subject = SubjectFactory()
    inquiry = record(
        officer, due_on=date(2026, 1, 9), subjects=[subject],
        subject_matter=f"Complaint of {marker}",
        document=ContentFile(f"letter about {marker}".encode(), name=f"{marker}.txt"),
    )  # fmt: skip
    inquiry_answer(
        inquiry=inquiry, answered_on=date(2026, 1, 8), actor=officer, reason="Sent",
        answer_document=ContentFile(f"answer about {marker}".encode(), name="answer.txt"),
    )  # fmt: skip
    assert canary.database_hits([marker])
    assert canary.media_hits(media, [marker])

    with django_capture_on_commit_callbacks(execute=True):
        subject_erase(subject=subject, actor=officer, reason="Request #2")

    assert canary.database_hits([marker]) == {}
    assert canary.media_hits(media, [marker]) == []
    inquiry.refresh_from_db()
    # The record of the inquiry stays: who asked, when, its number.
    assert (inquiry.body, inquiry.reference_number) == ("Министрлік", "ЖТ-12")


@pytest.mark.django_db
def test_the_admin_logs_an_inquiry_and_lists_the_overdue(officer_client, officer, media):
    url = reverse("admin:inquiries_authorityinquiry_add")
    today = timezone.localdate()

    officer_client.post(url, {
        "received_on": (today - timedelta(days=40)).isoformat(), "body_kind": "other_state_body",
        "body": "Прокуратура", "reference_number": "П-7", "subject_matter": "Сұрау",
        "within_working_days": "5",
    })  # fmt: skip
    inquiry = AuthorityInquiry.objects.get(reference_number="П-7")
    overdue = officer_client.get(
        reverse("admin:inquiries_authorityinquiry_changelist"), {"answer": "overdue"}
    )
    change = reverse("admin:inquiries_authorityinquiry_change", args=[inquiry.pk])
    officer_client.post(change, {
        "subject_matter": "Сұрау", "answered_on": today.isoformat(), "change_reason": "Answered",
    })  # fmt: skip

    assert inquiry.recorded_by == officer
    assert "П-7" in overdue.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.answered_on == today
    assert inquiry.history.latest().history_change_reason == "Answered"


@pytest.mark.django_db
def test_the_desk_counts_the_unanswered_and_the_overdue(officer_client, officer):
    record(officer, due_on=date(2026, 1, 9))
    record(officer, reference_number="ЖТ-13", received_on=timezone.localdate(),
           due_on=timezone.localdate() + timedelta(days=5))  # fmt: skip

    page = officer_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert 'id="inquiry-deadlines"' in page
    assert "?answer=overdue" in page
    assert '<strong style="color: var(--error-fg);">1</strong>' in page

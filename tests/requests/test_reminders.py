"""Deadline reminders to assignees, once a day, through a real SMTP sink."""

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from common.workdays import ALMATY
from requests.models import RequestReminder
from requests.selectors import due_horizon
from requests.services.intake import request_update
from requests.services.reminders import reminders_send
from tests.organisation.factories import OperatorProfileFactory
from tests.requests.factories import request_by_email

WEDNESDAY = date(2026, 4, 8)


def _received(body: str, day: date, assignee=None, *, actor):
    subject_request = request_by_email(
        body=body, when=datetime(day.year, day.month, day.day, 10, tzinfo=ALMATY)
    )
    if assignee is not None:
        request_update(
            subject_request=subject_request,
            actor=actor,
            reason="assign",
            data={"assignee": assignee},
        )
    return subject_request


@pytest.fixture
def due_soon(db, staff_user, officer):
    """Requests around Wednesday 8 April 2026, and who they are assigned to."""
    staff_user.email = "staffer@example.org"
    staff_user.save()
    OperatorProfileFactory(responsible_person_email="dpo@example.org")
    return {
        # Access received Monday 6 April: due Thursday 9, the next working day.
        "tomorrow": _received(
            "Прошу предоставить информацию о моих данных.",
            date(2026, 4, 6),
            staff_user,
            actor=officer,
        ),
        # Erasure received Tuesday 7 April: due today.
        "today": _received(
            "Прошу удалить мои данные.", date(2026, 4, 7), staff_user, actor=officer
        ),
        # Erasure received Thursday 2 April: due Friday 3, overdue; nobody assigned.
        "overdue": _received("Прошу удалить мои данные, срочно.", date(2026, 4, 2), actor=officer),
        # Access received today: due Monday 13 April, not yet.
        "later": _received(
            "Прошу предоставить информацию о моих данных, ещё.",
            WEDNESDAY,
            staff_user,
            actor=officer,
        ),
    }


def test_assignees_are_reminded_of_requests_due_within_one_working_day(
    due_soon, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders_send(horizon=due_horizon(today=WEDNESDAY))

    assert (counts.emails, counts.requests) == (2, 3)
    by_address = {
        rcpt[0]: message
        for (_from, rcpt), message in zip(smtp_sink.envelopes, smtp_sink.received, strict=True)
    }
    assert set(by_address) == {"staffer@example.org", "dpo@example.org"}
    staff_text = by_address["staffer@example.org"].get_body(("plain",)).get_content()
    assert f"#{due_soon['tomorrow'].pk} " in staff_text
    assert f"#{due_soon['today'].pk} " in staff_text
    assert "due today" in staff_text
    assert f"#{due_soon['later'].pk} " not in staff_text
    assert "overdue since" in by_address["dpo@example.org"].get_body(("plain",)).get_content()
    assert f"/admin/requests/subjectrequest/{due_soon['today'].pk}/change/" in staff_text


def test_a_second_run_on_the_same_day_reminds_nobody_and_the_next_day_reminds_again(
    due_soon, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(horizon=due_horizon(today=WEDNESDAY))
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders_send(horizon=due_horizon(today=WEDNESDAY))

    assert (again.emails, again.already_reminded) == (0, 3)
    assert len(smtp_sink.received) == 2
    assert RequestReminder.objects.filter(sent_on=WEDNESDAY).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        thursday = reminders_send(horizon=due_horizon(today=date(2026, 4, 9)))
    assert thursday.requests == 3  # Thursday's, and the two now overdue


def test_a_reminder_that_could_not_be_sent_is_tried_again(
    due_soon, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.refuse = True
    with pytest.raises(Exception, match="554"), django_capture_on_commit_callbacks(execute=True):
        reminders_send(horizon=due_horizon(today=WEDNESDAY))
    smtp_sink.refuse = False

    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders_send(horizon=due_horizon(today=WEDNESDAY))

    assert (counts.requests, counts.already_reminded) == (3, 0)
    assert len(smtp_sink.received) == 2


def test_the_command_reports_what_it_did(db):
    out = StringIO()
    call_command("remind_due_requests", stdout=out)

    assert "0 e-mail(s) about 0 request(s)" in out.getvalue()

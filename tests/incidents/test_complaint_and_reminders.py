"""A complaint becomes an incident with one action; open incidents are reminded of daily."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from incidents.models import AffectedSource, Incident, IncidentReminder
from requests.models import ActionKind, RequestKind
from tests.incidents.factories import incident_open
from tests.organisation.factories import OperatorProfileFactory
from tests.requests.conftest import wait_for_mail
from tests.requests.factories import SubjectRequestFactory

pytestmark = pytest.mark.django_db


def act_url(subject_request) -> str:
    return reverse("admin:requests_subjectrequest_act", args=[subject_request.pk, "open_incident"])


def test_a_complaint_becomes_an_incident_linked_both_ways(client, staff_user):
    OperatorProfileFactory()
    complaint = SubjectRequestFactory(
        kind=RequestKind.COMPLAINT, received_at=timezone.now() - timedelta(hours=3),
        content="Мои данные видны посторонним на вашем сайте!",
    )  # fmt: skip
    client.force_login(staff_user)

    page = client.get(
        reverse("admin:requests_subjectrequest_change", args=[complaint.pk])
    ).content.decode()
    assert act_url(complaint) in page
    response = client.post(act_url(complaint), {"kind": "disclosure", "description": "Site"})

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.complaint_request == complaint
    assert incident.detected_at == complaint.received_at
    assert incident.opened_by == staff_user
    assert complaint.content not in incident.description  # linked, not copied
    affected = incident.affected.get()
    assert (affected.subject, affected.source) == (complaint.subject, AffectedSource.COMPLAINT)
    step = complaint.actions.get(kind=ActionKind.UPDATED)
    assert f"#{incident.pk}" in step.note
    # Once only: the action now says which incident the complaint became.
    again = client.get(
        reverse("admin:requests_subjectrequest_change", args=[complaint.pk])
    ).content.decode()
    assert act_url(complaint) not in again
    assert f"#{incident.pk}" in again


def test_only_a_complaint_offers_the_action_and_only_to_roles_that_open_incidents(
    client, auditor, staff_user
):
    access = SubjectRequestFactory(kind=RequestKind.ACCESS)
    complaint = SubjectRequestFactory(kind=RequestKind.COMPLAINT)
    client.force_login(staff_user)

    assert client.post(act_url(access), {"kind": "loss", "description": "x"}).status_code == 302
    assert not Incident.objects.exists()
    client.force_login(auditor)
    assert client.post(act_url(complaint), {"kind": "loss", "description": "x"}).status_code == 403
    assert not Incident.objects.exists()


def test_the_daily_reminder_lists_open_incidents_once_a_day(
    smtp_sink, officer, django_capture_on_commit_callbacks
):
    OperatorProfileFactory(responsible_person_email="dpo@example.org")
    late = incident_open(actor=officer, detected_at=timezone.now() - timedelta(days=7))
    fresh = incident_open(actor=officer, detected_at=timezone.now() - timedelta(minutes=5))
    out = StringIO()

    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("remind_due_requests", stdout=out)

    mails = wait_for_mail(smtp_sink, 1)
    assert len(mails) == 1
    assert mails[0]["To"] == "dpo@example.org"
    body = mails[0].get_content()
    assert f"#{late.pk}" in body
    assert f"#{fresh.pk}" in body
    assert body.index(f"#{late.pk}") < body.index(f"#{fresh.pk}")  # soonest deadline first
    assert IncidentReminder.objects.count() == 2
    assert "2 already reminded today" in out.getvalue()


def test_a_failed_reminder_is_tried_again_on_the_next_run(
    smtp_sink, officer, django_capture_on_commit_callbacks
):
    OperatorProfileFactory(responsible_person_email="dpo@example.org")
    incident_open(actor=officer)
    smtp_sink.refuse = True

    with pytest.raises(Exception, match="554"), django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests", stdout=StringIO())
    assert not IncidentReminder.objects.exists()

    smtp_sink.refuse = False
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests", stdout=StringIO())
    assert len(wait_for_mail(smtp_sink, 1)) == 1

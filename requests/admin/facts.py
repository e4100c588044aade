"""The facts at the head of a request's page: who asks, for what, by when, about whom, and
whether the request says all the policy requires."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.workdays import work_calendar
from requests.forms import subject_label
from requests.models import SubjectRequest
from requests.selectors import QueueRow, today_in_almaty

# What the policy requires of a request, named for staff (SubjectRequest.missing_items).
MISSING_ITEMS = {
    "requester_last_name": _("last name"),
    "requester_first_name": _("first name"),
    "requester_patronymic": _("patronymic"),
    "reply_address": _("reply address"),
    "content": _("content"),
}


@dataclass(frozen=True)
class RequestFacts:
    requester: str
    reply_to: str
    representative: str
    deadline: QueueRow
    subject_label: str
    subject_url: str
    missing: list[str]


def request_facts(subject_request: SubjectRequest) -> RequestFacts:
    requester = " ".join(
        part
        for part in (
            subject_request.requester_last_name,
            subject_request.requester_first_name,
            subject_request.requester_patronymic,
        )
        if part
    )
    days_left = None
    if subject_request.due_date is not None and subject_request.is_open:
        days_left = work_calendar().working_days_between(
            today_in_almaty(), subject_request.due_date
        )
    subject = subject_request.subject
    return RequestFacts(
        requester=requester,
        reply_to=subject_request.reply_email or subject_request.reply_postal_address,
        representative=subject_request.representative_shown(),
        deadline=QueueRow(subject_request=subject_request, days_left=days_left),
        subject_label=subject_label(subject) if subject else "",
        subject_url=reverse("admin:subjects_subject_change", args=[subject.pk]) if subject else "",
        missing=[str(MISSING_ITEMS[item]) for item in subject_request.missing_items],
    )

"""What the breach register adds to lower apps, registered at ready(): the "open a breach
incident" action of a complaint's page, and the daily reminder of open incidents."""

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.forms import ComplaintIncidentForm
from incidents.reminders import incident_reminders_send
from incidents.services import complaint_incident_unavailable, incident_open_from_complaint
from requests.models import SubjectRequest

OPEN_PERMISSION = "incidents.add_incident"


def _unavailable(subject_request: SubjectRequest, user: User) -> str | None:
    reason = complaint_incident_unavailable(subject_request)
    if reason:
        return reason
    if not user.has_perm(OPEN_PERMISSION):
        return _("Your role may not open breach incidents.")
    return None


def _run(subject_request: SubjectRequest, form: Any, user: User) -> object:
    detected_at = min(subject_request.received_at, timezone.now())  # when the complaint arrived
    return incident_open_from_complaint(
        subject_request=subject_request, actor=user, detected_at=detected_at, **form.cleaned_data
    )


def register() -> None:
    from requests.admin.actions import RequestPageAction, add_request_action, of_kind
    from requests.models import RequestKind
    from requests.services.reminders import add_reminder_part

    add_request_action(
        RequestPageAction(
            "open_incident",
            gettext_lazy("Open a breach incident"),
            ComplaintIncidentForm,
            run=_run,
            done=gettext_lazy(
                "Breach incident opened: the authorised body is to be notified within one "
                "working day of detection."
            ),
            unavailable=_unavailable,
            help_text=gettext_lazy(
                "The subject reports that the processing of their data is not safe. The incident "
                "counts as detected when the complaint arrived; the complainant is its first "
                "affected subject. The complaint's text is not copied: the two are linked."
            ),
            fits=of_kind(RequestKind.COMPLAINT),
        )
    )
    add_reminder_part(incident_reminders_send)

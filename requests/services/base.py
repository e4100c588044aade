"""What the request services share: saving with history, and the request's own log of steps."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.history import save_with_history
from consents.models import Consent
from requests.models import ActionKind, RequestAction, RequestStatus, SubjectRequest


class RequestError(ValidationError):
    """A step the rules do not allow on this request; the message says why."""


def request_save(request: SubjectRequest, *, actor: User | None, reason: str) -> None:
    request.full_clean()
    save_with_history(request, actor=actor, reason=reason)


def action_record(
    request: SubjectRequest,
    *,
    kind: ActionKind,
    actor: User | None,
    note: str = "",
    consents: Iterable[Consent] = (),
    message_id: str = "",
) -> RequestAction:
    action = RequestAction(
        request=request,
        kind=kind,
        actor=actor,
        acted_at=timezone.now(),
        note=note,
        message_id=message_id,
    )
    action.full_clean()
    save_with_history(action, actor=actor, reason=str(ActionKind(kind).label))
    consents = list(consents)
    if consents:
        action.consents.set(consents)
    return action


def ensure_open(request: SubjectRequest) -> None:
    if not request.is_open:
        raise RequestError(_("This request is closed: its answer has been sent."), code="closed")


def ensure_subject(request: SubjectRequest) -> None:
    if request.subject_id is None:
        raise RequestError(_("Match the request to a data subject first."), code="no_subject")


def mark_in_progress(request: SubjectRequest) -> None:
    """A request that someone acts on is in progress (unless it waits for the requester)."""
    if request.status == RequestStatus.RECEIVED:
        request.status = RequestStatus.IN_PROGRESS


def reason_for(request: SubjectRequest, what: str) -> str:
    """The history reason of a write made for a request: names the request, never the person."""
    return f"{what} (request #{request.pk})"

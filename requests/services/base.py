"""What the request services share: saving with history, and the request's own log of steps."""

from collections.abc import Callable, Iterable

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.history import save_valid_with_history
from consents.models import Consent
from requests.models import ActionKind, RequestAction, RequestStatus, SubjectRequest
from requests.selectors import request_is_paused
from subjects.services import subject_is_erased


class RequestError(DomainError):
    """A step the rules do not allow on this request; the message says why."""


def request_save(subject_request: SubjectRequest, *, actor: User | None, reason: str) -> None:
    save_valid_with_history(subject_request, actor=actor, reason=reason)


def action_record(
    subject_request: SubjectRequest,
    *,
    kind: ActionKind,
    actor: User | None,
    note: str = "",
    consents: Iterable[Consent] = (),
    message_id: str = "",
) -> RequestAction:
    action = RequestAction(
        request=subject_request,
        kind=kind,
        actor=actor,
        acted_at=timezone.now(),
        note=note,
        message_id=message_id,
    )
    save_valid_with_history(action, actor=actor, reason=str(ActionKind(kind).label))
    consents = list(consents)
    if consents:
        action.consents.set(consents)
    return action


# The preconditions of the actions on a request. Each is one rule: it returns the refusal (None
# when the rule holds). A service raises the first refusal of its action's preconditions (see
# `refuse`); the request page shows the same refusal's message beside the disabled button.
Precondition = Callable[[SubjectRequest], RequestError | None]


def request_closed(subject_request: SubjectRequest) -> RequestError | None:
    if subject_request.is_open:
        return None
    return RequestError(_("This request is closed: its answer has been sent."), code="closed")


def request_unmatched(subject_request: SubjectRequest) -> RequestError | None:
    if subject_request.subject_id is not None:
        return None
    return RequestError(_("Match the request to a data subject first."), code="no_subject")


def request_subject_erased(subject_request: SubjectRequest) -> RequestError | None:
    """Nothing is done to an erased subject, whatever the request asks."""
    subject = subject_request.subject  # None, without a query, when unmatched
    if subject is None or not subject_is_erased(subject):
        return None
    return RequestError(_("The subject has been erased."), code="erased")


def request_kind_unconfirmed(subject_request: SubjectRequest) -> RequestError | None:
    if subject_request.kind_confirmed:
        return None
    return RequestError(_("Confirm the kind of the request first."), code="kind")


def request_without_email(subject_request: SubjectRequest) -> RequestError | None:
    if subject_request.reply_email:
        return None
    return RequestError(
        _("The request has no e-mail address: send the answer by post and record it."),
        code="no_email",
    )


def request_clock_paused(subject_request: SubjectRequest) -> RequestError | None:
    """No answer (and no second pause) while the clock waits for the requester."""
    if not request_is_paused(subject_request):
        return None
    return RequestError(
        _("The clock is paused: resume it when the requester answers."), code="paused"
    )


def request_clock_running(subject_request: SubjectRequest) -> RequestError | None:
    if request_is_paused(subject_request):
        return None
    return RequestError(_("The clock is not paused."), code="not_paused")


def first_refusal(
    subject_request: SubjectRequest, preconditions: Iterable[Precondition]
) -> RequestError | None:
    for precondition in preconditions:
        refusal = precondition(subject_request)
        if refusal is not None:
            return refusal
    return None


def refuse(subject_request: SubjectRequest, preconditions: Iterable[Precondition]) -> None:
    """Raise the first refusal of these preconditions: what a service calls before it acts."""
    refusal = first_refusal(subject_request, preconditions)
    if refusal is not None:
        raise refusal


# What every action on a matched subject requires.
ON_SUBJECT: tuple[Precondition, ...] = (request_closed, request_unmatched, request_subject_erased)


def ensure_open(subject_request: SubjectRequest) -> None:
    refuse(subject_request, (request_closed,))


def ensure_subject(subject_request: SubjectRequest) -> None:
    refuse(subject_request, (request_unmatched,))


def mark_in_progress(subject_request: SubjectRequest) -> None:
    """A request that someone acts on is in progress (unless it waits for the requester)."""
    if subject_request.status == RequestStatus.RECEIVED:
        subject_request.status = RequestStatus.IN_PROGRESS


def reason_for(subject_request: SubjectRequest, what: str) -> str:
    """The history reason of a write made for a request: names the request, never the person."""
    return f"{what} (request #{subject_request.pk})"

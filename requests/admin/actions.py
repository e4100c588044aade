"""The one-click actions of a request's admin page: each is a small form and one service call.

The page offers only what fits the request (`offered_actions`): nothing once it is closed; the
actions of its kind and state as buttons (an erasure request: erase and answer, refuse); the
rest of what can be done now folded under "Other steps". An action that fits but waits is shown
disabled with the reason beside it (an answer before the kind is confirmed...): the refusal of
the action's service (its preconditions, next to it), never restated here. An action whose state
is simply not the request's (resume a clock that runs) is not shown at all. A button whose form
has nothing to type (block) or only what its page would preset (the consents of a withdrawal)
posts from the request's page itself (SubjectRequestAdmin._desk_context). Apps above
`requests` add their actions at ready() (`add_request_action`): erasure, breach incidents.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy

from requests.forms import (
    AnswerForm,
    ConfirmForm,
    ExtendForm,
    KindForm,
    MatchForm,
    NoteForm,
    PauseForm,
    PostedForm,
    PublicRemovalForm,
    RectifyForm,
    RefuseForm,
    ReplyForm,
    WithdrawForm,
)
from requests.models import RequestKind, SubjectRequest
from requests.services import answers, deadlines, fulfilment, intake
from requests.services.base import (
    ON_SUBJECT,
    Precondition,
    RequestError,
    first_refusal,
    request_clock_paused,
    request_clock_running,
    request_closed,
    request_without_email,
)
from subjects.models import Subject, SubjectState


@dataclass(frozen=True)
class RequestPageAction:
    """An action offered on a request's admin page (the `RequestAction` model records one taken)."""

    name: str
    label: Any
    form_class: type[forms.Form]
    run: Callable[[SubjectRequest, Any, User], object]
    done: Any
    unavailable: Callable[[SubjectRequest, User], str | None]
    initial: Callable[[SubjectRequest], dict[str, Any]] = lambda subject_request: {}
    form_kwargs: Callable[[SubjectRequest], dict[str, Any]] = lambda subject_request: {}
    help_text: Any = ""
    # Whether the action is one the request calls for (its kind, its state): a button on the
    # page; else, when it can be taken, it waits under "Other steps".
    fits: Callable[[SubjectRequest], bool] = lambda subject_request: True
    # The states in which the action makes no sense at all (resuming a running clock): not shown.
    hidden_when: tuple[Precondition, ...] = ()
    # "button" on the page; "panel": the page shows its form itself (the subject match, the
    # answer); "url": reached by its address only (its work is done by a panel).
    placement: str = "button"


def of_kind(*kinds: str) -> Callable[[SubjectRequest], bool]:
    """The action serves requests of these kinds."""
    return lambda subject_request: subject_request.kind in kinds


def _seldom(subject_request: SubjectRequest) -> bool:
    return False  # offered on every request, asked for by few: under "Other steps"


def reason(refusal: RequestError | None) -> str | None:
    """The message shown beside a disabled action: the refusal its service would raise."""
    return None if refusal is None else str(refusal.message)


def _refused_by(
    *preconditions: Precondition,
) -> Callable[[SubjectRequest, User], str | None]:
    """Why the action waits: the first refusal of its service's preconditions."""

    def unavailable(subject_request: SubjectRequest, user: User) -> str | None:
        return reason(first_refusal(subject_request, preconditions))

    return unavailable


def _withdraw_unavailable(subject_request: SubjectRequest, user: User) -> str | None:
    return reason(fulfilment.request_withdraw_refusal(subject_request))


def _withdraw_initial(subject_request: SubjectRequest) -> dict[str, Any]:
    consents = fulfilment.withdrawable_consents(subject_request)
    if subject_request.kind == RequestKind.WITHDRAWAL_ALL:
        chosen = [c.purpose for c in consents]
    elif subject_request.kind == RequestKind.UNSUBSCRIBE:
        chosen = [c.purpose for c in consents if c.purpose.is_marketing]
    else:
        chosen = []
    return {"purposes": chosen}


def _state_is(state: str, message: Any) -> Callable[[SubjectRequest, User], str | None]:
    def check(subject_request: SubjectRequest, user: User) -> str | None:
        refusal = reason(first_refusal(subject_request, ON_SUBJECT))
        if refusal is None and subject_request.subject.state != state:  # type: ignore[union-attr]
            refusal = str(message)
        return refusal

    return check


def _rectify_kwargs(subject_request: SubjectRequest) -> dict[str, Any]:
    # Its own copy of the subject: a bound ModelForm writes the typed values into its instance.
    return {"instance": Subject.objects.get(pk=subject_request.subject_id)}  # type: ignore[misc]


def _rectify(subject_request: SubjectRequest, form: RectifyForm, user: User) -> None:
    data = {name: form.cleaned_data[name] for name in form.changed_data}
    fulfilment.request_rectify(subject_request=subject_request, actor=user, data=data)


def answer_draft_initial(key: str | None = None) -> Callable[[SubjectRequest], dict[str, Any]]:
    def initial(subject_request: SubjectRequest) -> dict[str, Any]:
        subject, body = answers.answer_draft(subject_request, key=key)
        return {
            "subject": subject,
            "body": body,
            "sent_at": timezone.localtime().replace(microsecond=0),
        }

    return initial


def _match(subject_request: SubjectRequest, form: MatchForm, user: User) -> None:
    intake.request_update(
        subject_request=subject_request,
        actor=user,
        reason=str(gettext_lazy("Kind and data subject confirmed")),
        data={"kind": form.cleaned_data["kind"], "subject": form.cleaned_data["subject"]},
    )


def _information_draft(subject_request: SubjectRequest) -> dict[str, Any]:
    subject, body = answers.information_request_draft(subject_request)
    return {"subject": subject, "body": body}


ACTIONS: dict[str, RequestPageAction] = {
    action.name: action
    for action in (
        RequestPageAction(
            "confirm_kind",
            gettext_lazy("Confirm the kind"),
            KindForm,
            run=lambda r, f, u: intake.request_kind_confirm(
                subject_request=r, actor=u, kind=f.cleaned_data["kind"]
            ),
            done=gettext_lazy("Kind confirmed."),
            unavailable=_refused_by(request_closed),
            initial=lambda r: {"kind": r.kind},
            help_text=gettext_lazy(
                "Intake suggests a kind from the wording; a person decides it. "
                "Its deadline rule applies from receipt."
            ),
            placement="url",  # the page confirms the kind with the subject ("match")
        ),
        RequestPageAction(
            "match",
            gettext_lazy("Confirm the kind and the data subject"),
            MatchForm,
            run=_match,
            done=gettext_lazy("Kind and data subject confirmed."),
            unavailable=_refused_by(request_closed),
            initial=lambda r: {"kind": r.kind, "subject": r.subject_id},
            form_kwargs=lambda r: {"subject_request": r},
            help_text=gettext_lazy(
                "Who the request is about, among the people it names (namesakes told apart by "
                "e-mail and year of birth), and what it asks for: its deadline rule applies "
                "from receipt."
            ),
            placement="panel",
        ),
        RequestPageAction(
            "ask_information",
            gettext_lazy("Ask for the missing information"),
            AnswerForm,
            run=lambda r, f, u: answers.information_request_send(
                subject_request=r, actor=u, **f.cleaned_data
            ),
            done=gettext_lazy("Sent; the clock is paused until the requester answers."),
            unavailable=_refused_by(*answers.INFORMATION_REQUEST_PRECONDITIONS),
            initial=_information_draft,
            fits=lambda r: not r.is_complete,
            hidden_when=(request_clock_paused,),
            help_text=gettext_lazy(
                "E-mails the requester and pauses the clock. Their reply to this e-mail joins "
                "the request and resumes the clock."
            ),
        ),
        RequestPageAction(
            "pause",
            gettext_lazy("Pause the clock"),
            PauseForm,
            run=lambda r, f, u: deadlines.request_pause(
                subject_request=r, actor=u, note=f.cleaned_data["note"]
            ),
            done=gettext_lazy("The clock is paused."),
            unavailable=_refused_by(*deadlines.PAUSE_PRECONDITIONS),
            help_text=gettext_lazy(
                "For information asked for outside this system (by phone, by letter)."
            ),
            fits=_seldom,
            hidden_when=(request_clock_paused,),
        ),
        RequestPageAction(
            "resume",
            gettext_lazy("Resume the clock"),
            NoteForm,
            run=lambda r, f, u: deadlines.request_resume(
                subject_request=r, actor=u, note=f.cleaned_data["note"]
            ),
            done=gettext_lazy("The clock runs again."),
            unavailable=_refused_by(request_closed, *deadlines.RESUME_PRECONDITIONS),
            hidden_when=(request_clock_running,),
        ),
        RequestPageAction(
            "extend",
            gettext_lazy("Extend the deadline"),
            ExtendForm,
            run=lambda r, f, u: deadlines.request_extend(
                subject_request=r, actor=u, **f.cleaned_data
            ),
            done=gettext_lazy("Deadline extended."),
            unavailable=_refused_by(*deadlines.EXTEND_PRECONDITIONS),
            fits=_seldom,
        ),
        RequestPageAction(
            "rectify",
            gettext_lazy("Rectify the subject's data"),
            RectifyForm,  # type: ignore[arg-type]
            run=_rectify,
            done=gettext_lazy("The subject's data is corrected."),
            unavailable=_refused_by(*ON_SUBJECT),
            form_kwargs=_rectify_kwargs,
            fits=of_kind(RequestKind.RECTIFICATION),
        ),
        RequestPageAction(
            "block",
            gettext_lazy("Block the subject"),
            ConfirmForm,
            run=lambda r, f, u: fulfilment.request_block(subject_request=r, actor=u),
            done=gettext_lazy("The subject is blocked."),
            unavailable=_state_is(
                SubjectState.ACTIVE, gettext_lazy("Only an active subject can be blocked.")
            ),
            help_text=gettext_lazy(
                "The subject leaves every mailing list and export until unblocked; "
                "nothing is deleted."
            ),
            fits=of_kind(RequestKind.BLOCKING),
        ),
        RequestPageAction(
            "unblock",
            gettext_lazy("Unblock the subject"),
            ConfirmForm,
            run=lambda r, f, u: fulfilment.request_unblock(subject_request=r, actor=u),
            done=gettext_lazy("The subject is unblocked."),
            unavailable=_state_is(
                SubjectState.BLOCKED, gettext_lazy("The subject is not blocked.")
            ),
            fits=of_kind(RequestKind.UNBLOCKING),
        ),
        RequestPageAction(
            "withdraw",
            gettext_lazy("Withdraw consents"),
            WithdrawForm,
            run=lambda r, f, u: fulfilment.request_withdraw_consents(
                subject_request=r, actor=u, purposes=f.cleaned_data["purposes"]
            ),
            done=gettext_lazy("Consents withdrawn."),
            unavailable=_withdraw_unavailable,
            initial=_withdraw_initial,
            form_kwargs=lambda r: {
                "purposes": [c.purpose for c in fulfilment.withdrawable_consents(r)]
            },
            fits=of_kind(
                RequestKind.WITHDRAWAL, RequestKind.WITHDRAWAL_ALL, RequestKind.UNSUBSCRIBE
            ),
        ),
        RequestPageAction(
            "public_removal",
            gettext_lazy("Record a removal from a public source"),
            PublicRemovalForm,
            run=lambda r, f, u: fulfilment.request_record_public_removal(
                subject_request=r, actor=u, **f.cleaned_data
            ),
            done=gettext_lazy("Removal recorded."),
            unavailable=_refused_by(request_closed),
            initial=lambda r: {"removed_at": timezone.localtime().replace(microsecond=0)},
            help_text=gettext_lazy(
                "Art. 6: data published without a lawful basis is removed within one working "
                "day of the demand. Remove it where it was published, then record the place and "
                "the moment here (one record per place); the answer lists them."
            ),
            fits=of_kind(RequestKind.PUBLIC_REMOVAL),
        ),
        RequestPageAction(
            "refuse",
            gettext_lazy("Refuse"),
            RefuseForm,
            run=lambda r, f, u: fulfilment.request_refuse(
                subject_request=r, actor=u, reason=f.cleaned_data["reason"]
            ),
            done=gettext_lazy("Refusal recorded: now send the answer."),
            unavailable=_refused_by(request_closed),
            help_text=gettext_lazy(
                "The request closes as refused when the answer with this reason has been sent."
            ),
        ),
        RequestPageAction(
            "answer",
            gettext_lazy("Send the answer"),
            ReplyForm,
            run=lambda r, f, u: answers.answer_send(subject_request=r, actor=u, **f.cleaned_data),
            done=gettext_lazy("Answer queued for sending; the request closes once it has gone."),
            unavailable=_refused_by(*answers.ANSWER_PRECONDITIONS),
            initial=answer_draft_initial(),
            form_kwargs=lambda r: {"report": answers.report_goes_with(r)},
            hidden_when=(request_without_email,),
            placement="panel",
        ),
        RequestPageAction(
            "answer_posted",
            gettext_lazy("Record an answer sent by post"),
            PostedForm,
            run=lambda r, f, u: answers.answer_record_posted(
                subject_request=r, actor=u, **f.cleaned_data
            ),
            done=gettext_lazy("Answer recorded; the request is closed."),
            unavailable=_refused_by(*answers.ANSWER_POSTED_PRECONDITIONS),
            initial=answer_draft_initial(),
            fits=lambda r: not r.reply_email,  # with an e-mail address the answer goes by e-mail
        ),
    )
}


def add_request_action(
    action: RequestPageAction, *, before: str | None = None
) -> RequestPageAction:
    """Apps above `requests` add an action to the request page here, at their ready(); `before`
    names the action it is listed before (the end when None or not there)."""
    ACTIONS[action.name] = action
    if before in ACTIONS:
        names = list(ACTIONS)
        names.remove(action.name)
        names.insert(names.index(before), action.name)
        for name in names:  # reinserted in the new order
            ACTIONS[name] = ACTIONS.pop(name)
    return action


def available_actions(
    subject_request: SubjectRequest, user: User
) -> list[tuple[RequestPageAction, str | None]]:
    """Every action with the reason it can't be taken now (None when it can)."""
    return [(action, action.unavailable(subject_request, user)) for action in ACTIONS.values()]


@dataclass(frozen=True)
class OfferedActions:
    """What the request page offers: the buttons of the request's kind and state (each with the
    reason it waits, or None), the other steps that can be taken now, and the panels' actions by
    name with their reason."""

    buttons: list[tuple[RequestPageAction, str | None]]
    other: list[RequestPageAction]
    panels: dict[str, str | None]


def offered_actions(subject_request: SubjectRequest, user: User) -> OfferedActions:
    offered = OfferedActions(buttons=[], other=[], panels={})
    if not subject_request.is_open:
        return offered  # a closed request is evidence: nothing more is done on it
    for action in ACTIONS.values():
        if action.placement == "url" or first_refusal(subject_request, action.hidden_when):
            continue
        waits = action.unavailable(subject_request, user)
        if action.placement == "panel":
            offered.panels[action.name] = waits
        elif action.fits(subject_request):
            offered.buttons.append((action, waits))
        elif waits is None:
            offered.other.append(action)
    return offered

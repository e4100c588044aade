"""What erasure adds to lower apps, registered at ready(): the "erase the subject and answer"
action of a request's page."""

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy

from erasure.services import request_erase_and_answer, request_erase_refusal
from requests.admin.actions import (
    RequestPageAction,
    add_request_action,
    answer_draft_initial,
    of_kind,
    reason,
)
from requests.forms import EraseAnswerForm
from requests.models import RequestKind, SubjectRequest


def _unavailable(subject_request: SubjectRequest, user: User) -> str | None:
    return reason(request_erase_refusal(subject_request=subject_request, actor=user))


def _run(subject_request: SubjectRequest, form: Any, user: User) -> object:
    return request_erase_and_answer(
        subject_request=subject_request,
        actor=user,
        subject=form.cleaned_data["subject"],
        body=form.cleaned_data["body"],
    )


def register() -> None:
    add_request_action(
        RequestPageAction(
            "erase",
            gettext_lazy("Erase the subject and answer"),
            EraseAnswerForm,
            run=_run,
            done=gettext_lazy("The subject is erased and the answer is on its way."),
            unavailable=_unavailable,
            initial=answer_draft_initial(RequestKind.ERASURE),
            help_text=gettext_lazy(
                "Erasure blanks the request's own letter and addresses too, so the answer is "
                "sent with it and its text is not kept."
            ),
            fits=of_kind(RequestKind.ERASURE),
        ),
        before="refuse",
    )

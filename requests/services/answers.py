"""Answers to requests: drafted from the officer's templates, sent after commit, then closed.

A request closes (completed, or refused when a refusal was decided) only when its answer has
gone: by e-mail through Django's e-mail backend, after the transaction that stored it commits,
or recorded by staff as sent by post. The text is stored on the request with the time it was sent;
an access answer carries the access report as a PDF and an HTML page in the answer's language.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.i18n import localized
from common.jobs import mail_enqueue
from organisation.selectors import operator_profile_get
from requests.access_report import access_report
from requests.models import (
    ANSWER_INCOMPLETE,
    DEADLINE_REFUSAL,
    ActionKind,
    AnswerTemplate,
    AnswerVia,
    RequestKind,
    RequestStatus,
    SubjectRequest,
)
from requests.rendering import render_text
from requests.report_documents import access_report_html, access_report_pdf
from requests.services.base import (
    Precondition,
    RequestError,
    action_record,
    mark_in_progress,
    reason_for,
    refuse,
    request_clock_paused,
    request_closed,
    request_kind_unconfirmed,
    request_save,
    request_without_email,
)
from requests.services.deadlines import request_pause

logger = logging.getLogger(__name__)

REPORT_FILENAME = "access-report"  # .pdf and .html
DONE_ACTIONS = (
    ActionKind.ACCESS_REPORT, ActionKind.RECTIFIED, ActionKind.BLOCKED, ActionKind.UNBLOCKED,
    ActionKind.CONSENTS_WITHDRAWN, ActionKind.ERASED, ActionKind.REMOVED_FROM_PUBLIC,
)  # fmt: skip


MISSING_ITEM_NAMES = {
    "requester_last_name": gettext_lazy("your last name"),
    "requester_first_name": gettext_lazy("your first name"),
    "requester_patronymic": gettext_lazy("your patronymic (if you have one)"),
    "reply_address": gettext_lazy("an address for our answer (e-mail or postal)"),
    "content": gettext_lazy("what you ask us to do"),
}


def _missing_labels(subject_request: SubjectRequest) -> list[str]:
    return [str(MISSING_ITEM_NAMES[item]) for item in subject_request.missing_items]


def _full_name(subject_request: SubjectRequest) -> str:
    """First name, patronymic, last name: the order of a polite address in kk, ru and en."""
    parts = (
        subject_request.requester_first_name,
        subject_request.requester_patronymic,
        subject_request.requester_last_name,
    )
    return " ".join(part for part in parts if part)


def answer_context(subject_request: SubjectRequest) -> dict[str, object]:
    """What an answer template may print: strings and lists of them, in the request's language."""
    operator = operator_profile_get()
    language = subject_request.language
    with translation.override(language):
        done = [
            f"{action.get_kind_display()}" + (f": {action.note}" if action.note else "")
            for action in subject_request.actions.filter(kind__in=DONE_ACTIONS).order_by(
                "acted_at", "pk"
            )
        ]
        withdrawn = [
            str(consent.purpose)
            for action in subject_request.actions.filter(
                kind=ActionKind.CONSENTS_WITHDRAWN
            ).prefetch_related("consents__purpose")
            for consent in action.consents.all()
        ]
        return {
            "number": subject_request.pk,
            "received_on": formats.date_format(
                timezone.localtime(subject_request.received_at), "DATE_FORMAT"
            ),
            "kind": str(subject_request.get_kind_display()),
            "last_name": subject_request.requester_last_name,
            "first_name": subject_request.requester_first_name,
            "patronymic": subject_request.requester_patronymic,
            "requester_name": _full_name(subject_request),
            "refusal_reason": subject_request.refusal_reason,
            "missing": _missing_labels(subject_request),
            "actions": done,
            "withdrawn_purposes": withdrawn,
            "due_date": formats.date_format(subject_request.due_date, "DATE_FORMAT")
            if subject_request.due_date
            else "",
            "representative": subject_request.representative_shown(),
            "report_attached": subject_request.kind == RequestKind.ACCESS
            and subject_request.subject_id is not None,
            "operator_name": localized(operator, "name", language) if operator else "",
            "operator_email": operator.privacy_email if operator else "",
            "operator_address": localized(operator, "address", language) if operator else "",
            "responsible_person": operator.responsible_person if operator else "",
        }


def _template(key: str, language: str) -> AnswerTemplate:
    templates = {t.language: t for t in AnswerTemplate.objects.filter(key=key)}
    for code in (language, "ru", "kk", "en"):
        if code in templates:
            return templates[code]
    raise RequestError(
        _("There is no answer template for “%(key)s”: the privacy officer adds it."),
        params={"key": key},
        code="no_template",
    )


def answer_key(subject_request: SubjectRequest) -> str:
    return DEADLINE_REFUSAL if subject_request.refusal_reason else subject_request.kind


def answer_draft(subject_request: SubjectRequest, *, key: str | None = None) -> tuple[str, str]:
    """(subject line, text) of the answer, from the officer's template in the request's language."""
    template = _template(key or answer_key(subject_request), subject_request.language)
    context = answer_context(subject_request)
    with translation.override(subject_request.language):
        body = render_text(template.body_template, context).strip() + "\n"
        if subject_request.represented and "representative" not in template.body_template:
            # The officer's template may print {{ representative }} itself; else it leads.
            body = (
                _("To the legal representative: %(representative)s")
                % {"representative": context["representative"]}
                + "\n\n"
                + body
            )
        return " ".join(render_text(template.subject_template, context).split()), body


def information_request_draft(subject_request: SubjectRequest) -> tuple[str, str]:
    """The prepared reply to an incomplete request: it asks for what is missing."""
    return answer_draft(subject_request, key=ANSWER_INCOMPLETE)


def _sender() -> str:
    operator = operator_profile_get()
    return (
        operator.privacy_email
        if operator and operator.privacy_email
        else settings.DEFAULT_FROM_EMAIL
    )


def _email(*, to: str, subject: str, body: str) -> EmailMessage:
    sender = _sender()
    return EmailMessage(
        subject=subject, body=body, from_email=sender, to=[to],
        headers={"Message-ID": make_msgid(domain=sender.rsplit("@", 1)[-1])},
    )  # fmt: skip


def _send_after_commit(email: EmailMessage, *, request_id: int, on_sent: str = "") -> None:
    """Enqueue the message in this transaction; a worker sends it and `on_sent` records it.

    A failure after the last attempt is logged on the request (`answer_failed`).
    """
    mail_enqueue(
        email,
        on_sent=on_sent,
        on_failed="requests.answer_failed",
        callback_kwargs={"request_id": request_id},
    )


def answer_failed(*, request_id: int, error: str, **_context: object) -> None:
    """The job's callback when the message could not be sent: the request says so."""
    logger.error("Answer to request %s not sent: %s", request_id, error)
    with transaction.atomic():
        subject_request = SubjectRequest.objects.get(pk=request_id)
        action_record(subject_request, kind=ActionKind.ANSWER_FAILED, actor=None, note=error)


# The preconditions of each action (requests.services.base): the service refuses with the first
# that fails; the request page shows the same refusal beside the disabled button. No answer goes
# out while the clock waits for the requester.
INFORMATION_REQUEST_PRECONDITIONS: tuple[Precondition, ...] = (
    request_closed, request_without_email, request_clock_paused,
)  # fmt: skip
ANSWER_PRECONDITIONS: tuple[Precondition, ...] = (
    request_closed, request_kind_unconfirmed, request_without_email, request_clock_paused,
)  # fmt: skip
ANSWER_POSTED_PRECONDITIONS: tuple[Precondition, ...] = (request_closed, request_kind_unconfirmed)


def _close(subject_request: SubjectRequest, *, via: str, at: datetime, actor: User | None) -> None:
    subject_request.answered_at, subject_request.answered_via = at, via
    subject_request.status = (
        RequestStatus.REFUSED if subject_request.refusal_reason else RequestStatus.COMPLETED
    )
    request_save(subject_request, actor=actor, reason=reason_for(subject_request, _("Answer sent")))


def _send_answer_after_commit(email: EmailMessage, *, request_id: int, actor: User) -> None:
    """The answer goes from a worker; the request closes once it has gone."""
    mail_enqueue(
        email,
        on_sent="requests.answer_sent",
        on_failed="requests.answer_failed",
        callback_kwargs={"request_id": request_id, "actor_id": actor.pk},
    )


def answer_sent(*, request_id: int, actor_id: int) -> None:
    """The job's callback once the answer has gone: close the request and say so."""
    with transaction.atomic():
        locked = SubjectRequest.objects.select_for_update().get(pk=request_id)
        if locked.answered_at is not None:  # a retried job that had sent before: nothing twice
            return
        actor = User.objects.get(pk=actor_id)
        _close(locked, via=AnswerVia.EMAIL, at=timezone.now(), actor=actor)
        action_record(
            locked, kind=ActionKind.ANSWER_SENT, actor=actor, message_id=locked.answer_message_id
        )


@transaction.atomic
def information_request_send(
    *, subject_request: SubjectRequest, actor: User, subject: str, body: str
) -> None:
    """E-mail the requester for what the request lacks, and stop the clock until they answer.

    Their reply, when it answers this message, joins the request and restarts the clock.
    """
    refuse(subject_request, INFORMATION_REQUEST_PRECONDITIONS)
    email = _email(to=subject_request.reply_email, subject=subject, body=body)
    request_pause(subject_request=subject_request, actor=actor, note=body)
    action_record(
        subject_request, kind=ActionKind.INFORMATION_REQUESTED, actor=actor, note=body,
        message_id=email.extra_headers["Message-ID"],
    )  # fmt: skip
    _send_after_commit(email, request_id=subject_request.pk)


def _attach_report(
    subject_request: SubjectRequest, email: EmailMessage, *, actor: User, with_json: bool
) -> None:
    report = access_report(subject=subject_request.subject, language=subject_request.language)  # type: ignore[arg-type]
    pdf = access_report_pdf(report, request_number=subject_request.pk)
    subject_request.answer_attachment.save(
        f"{REPORT_FILENAME}-{subject_request.pk}.pdf", ContentFile(pdf), save=False
    )
    email.attach(f"{REPORT_FILENAME}.pdf", pdf, "application/pdf")
    page = access_report_html(report, request_number=subject_request.pk)
    email.attach(f"{REPORT_FILENAME}.html", page.encode("utf-8"), "text/html")
    if with_json:  # machine-readable, for those who ask for it
        email.attach(
            f"{REPORT_FILENAME}.json", report.as_json().encode("utf-8"), "application/json"
        )
    action_record(subject_request, kind=ActionKind.ACCESS_REPORT, actor=actor)


def report_goes_with(subject_request: SubjectRequest) -> bool:
    """Whether the answer carries the access report: an access request, matched, not refused."""
    return (
        subject_request.kind == RequestKind.ACCESS
        and not subject_request.refusal_reason
        and subject_request.subject_id is not None
    )


@transaction.atomic
def answer_send(
    *,
    subject_request: SubjectRequest,
    actor: User,
    subject: str,
    body: str,
    with_json: bool = False,
) -> SubjectRequest:
    """Store the answer and e-mail it after commit; the request closes once it has gone.

    An answer to an access request (unless refused) carries the access report as a PDF and a
    page, built at this moment from the registry (and as JSON `with_json`, when asked for).
    """
    refuse(subject_request, ANSWER_PRECONDITIONS)
    if not (subject.strip() and body.strip()):
        raise RequestError(_("The answer needs a subject line and a text."), code="empty")
    email = _email(to=subject_request.reply_email, subject=subject.strip(), body=body)
    subject_request.answer_subject, subject_request.answer_body = subject.strip(), body
    subject_request.answer_message_id = email.extra_headers["Message-ID"]
    if report_goes_with(subject_request):
        _attach_report(subject_request, email, actor=actor, with_json=with_json)
    mark_in_progress(subject_request)
    request_save(
        subject_request, actor=actor, reason=reason_for(subject_request, _("Answer prepared"))
    )
    _send_answer_after_commit(email, request_id=subject_request.pk, actor=actor)
    return subject_request


@transaction.atomic
def answer_record_posted(
    *,
    subject_request: SubjectRequest,
    actor: User,
    subject: str,
    body: str,
    sent_at: datetime | None = None,
    note: str = "",
) -> SubjectRequest:
    """Record an answer sent by post or handed over; the request closes with it."""
    refuse(subject_request, ANSWER_POSTED_PRECONDITIONS)
    if not body.strip():
        raise RequestError(_("Record the text of the answer that was sent."), code="empty")
    sent_at = sent_at or timezone.now()
    if sent_at > timezone.now():
        raise RequestError(_("An answer is recorded after it was sent, not before."), code="future")
    subject_request.answer_subject, subject_request.answer_body = subject.strip(), body
    _close(subject_request, via=AnswerVia.POST, at=sent_at, actor=actor)
    action_record(subject_request, kind=ActionKind.ANSWER_POSTED, actor=actor, note=note.strip())
    return subject_request


def answer_send_with(
    *,
    subject_request: SubjectRequest,
    actor: User,
    subject: str,
    body: str,
    act: Callable[[], object],
) -> SubjectRequest:
    """Do `act` (which blanks the request's personal fields: erasure), then e-mail the answer to
    the address the request had.

    The address and text are taken before the act, and the answer's text is not stored
    afterwards: the request keeps that it was answered and when, not what it said to whom.
    """
    refuse(subject_request, ANSWER_PRECONDITIONS)
    to = subject_request.reply_email
    email = _email(to=to, subject=subject.strip(), body=body)
    act()
    with transaction.atomic():
        subject_request = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
        subject_request.answer_message_id = email.extra_headers["Message-ID"]
        request_save(
            subject_request, actor=actor, reason=reason_for(subject_request, _("Answer prepared"))
        )
        _send_answer_after_commit(email, request_id=subject_request.pk, actor=actor)
    return subject_request

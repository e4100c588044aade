"""Erasure: the subject row stays (id, state, times); every personal value is gone, history too."""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from common import personal_data
from common.blanking import blank_rows, object_ids
from common.errors import DomainError
from common.history import save_with_history
from common.jobs import mail_jobs_forget
from common.locks import person_lock
from common.mentions import Mentions
from common.outside_tables import outside_forget
from consents.models import Consent, ConsentState, SuppressionReason, WithdrawalChannel
from consents.suppression import suppression_add
from erasure.journal import JournalEntry, journal_append, journal_read
from erasure.models import ErasureLog, ErasureOutcome
from imports.models import ImportUpload, RejectedRow
from imports.selectors import rejected_rows_naming
from imports.services.queued import queued_imports_forget
from processors.notices import transfer_notices_cancel_for_erasure
from requests.models import ActionKind, SubjectRequest, UnreadableMessage
from requests.selectors import unreadable_messages_mentioning
from requests.services.answers import ANSWER_PRECONDITIONS, answer_send_with
from requests.services.base import (
    ON_SUBJECT,
    Precondition,
    RequestError,
    action_record,
    first_refusal,
    reason_for,
)
from requests.services.fulfilment import fulfilment_progress, fulfilment_start
from subjects.models import Subject, SubjectState
from subjects.services import subject_is_erased
from webforms.models import TildaSubmission
from webforms.selectors import unlinked_submissions_naming


class ErasureError(DomainError):
    """An erasure that cannot be done; the message says why."""


class AlreadyErased(ErasureError):
    default_code = "erased"


class ErasureRefused(ErasureError):
    """The law keeps some of the subject's data; the refusal is logged in `log`."""

    def __init__(self, log: ErasureLog) -> None:
        super().__init__(log.refusal_reason, code="legal_hold")
        self.log = log


def _legal_holds(subject: Subject) -> list[str]:
    holds = Consent.objects.filter(subject=subject, legal_hold=True).select_related("purpose")
    return [f"{consent.purpose}: {consent.legal_hold_reason}" for consent in holds]


def subject_erase(
    *,
    subject: Subject,
    actor: User | None,
    reason: str,
    subject_request: SubjectRequest | None = None,
    replay_of: int | None = None,
) -> ErasureLog:
    """Erase the subject: blank every personal field the registry names, in every table and in
    every history row; delete the files; suppress the e-mail and phone; end every live consent
    ("ended by erasure"); log and journal it. The subject's history (and each ended consent's)
    gets one row of the erasure's own: who, which request, why, and no personal data.

    Refused (ErasureRefused, with the refusal logged) while a consent is kept by law.
    """
    with transaction.atomic():
        # The person's lock first (as every creating path takes it), then the subject's row,
        # which every writer of a subject takes too (subjects.services.subject_ensure_writable):
        # none runs half before, half after the erasure.
        person_lock(email=subject.email, phone=subject.phone)
        subject = Subject.objects.select_for_update().get(pk=subject.pk)
        if subject_is_erased(subject):
            raise AlreadyErased(_("This subject is already erased."))
        holds = _legal_holds(subject)
        if not holds:
            return _erase(
                subject=subject,
                actor=actor,
                reason=reason,
                subject_request=subject_request,
                replay_of=replay_of,
            )
    refusal = _("The law keeps this data: %(holds)s") % {"holds": "; ".join(holds)}
    log = ErasureLog.objects.create(
        subject=subject,
        outcome=ErasureOutcome.REFUSED,
        refusal_reason=refusal,
        reason=reason,
        request=subject_request,
        actor=actor,
    )
    raise ErasureRefused(log)


def erasure_history_reason(*, log: ErasureLog) -> str:
    """The reason on the history rows the erasure writes: which erasure, which request, why.

    The staff's reason is asked for without personal data (erasure.forms.EraseForm).
    """
    return _("Erased (erasure log #%(log)s, request #%(request)s): %(reason)s") % {
        "log": log.pk,
        "request": log.request_id or "—",
        "reason": log.reason,
    }


def _addresses_of(subject: Subject) -> list[str]:
    """The person's e-mail addresses and phone, and the reply addresses of their requests."""
    replies = SubjectRequest.objects.filter(subject=subject).values_list("reply_email", flat=True)
    return [subject.email or "", subject.phone, *replies]


def _unlinked_naming(mentions: Mentions) -> dict[type[Model], set[int]]:
    return {
        RejectedRow: rejected_rows_naming(mentions),
        TildaSubmission: unlinked_submissions_naming(mentions),
    }


def _erase(
    *,
    subject: Subject,
    actor: User | None,
    reason: str,
    subject_request: SubjectRequest | None,
    replay_of: int | None,
) -> ErasureLog:
    # The hashes go in before the values go out: an old list must never bring this person back.
    suppression_add(
        email=subject.email, phone=subject.phone, reason=SuppressionReason.ERASED, actor=actor
    )
    # Unreadable messages name no subject: they are found by the person's addresses (read
    # before these are blanked) and forgotten with the rest.
    addresses = _addresses_of(subject)
    mentions = Mentions(addresses)
    unreadable = {m.pk for m in unreadable_messages_mentioning(mentions)}
    # Letters waiting in the job queue (or failed there) to the person's addresses: never sent,
    # their text and address gone.
    mail_jobs = mail_jobs_forget(addresses)
    # Files of admin imports previewed or waiting for a worker that name the person: cancelled.
    imports_cancelled = queued_imports_forget(mentions)
    # Rows that name the person but were linked to nobody when they were kept (a rejected row
    # of an import, a Tilda submission not yet applied): found by the addresses, blanked below.
    unlinked = _unlinked_naming(mentions)
    counts: dict[str, dict[str, int]] = {}
    files: set[str] = set()
    scope: dict[type[Model], set[int]] = {}
    for classification in personal_data.classified_models():
        if classification.subject_path is None:
            continue
        model = classification.model
        ids = object_ids(model, classification.subject_path, [subject.pk])
        ids = scope[model] = ids | unlinked.get(model, set())
        result = blank_rows(model, ids)
        files |= result.files
        if result.rows or result.history_rows:
            counts[model._meta.label] = {"rows": result.rows, "history_rows": result.history_rows}
    if imports_cancelled:
        counts[ImportUpload._meta.label] = {"rows": imports_cancelled, "history_rows": 0}
    if unreadable:
        result = blank_rows(UnreadableMessage, unreadable)
        files |= result.files
        counts[UnreadableMessage._meta.label] = {
            "rows": result.rows, "history_rows": result.history_rows
        }  # fmt: skip
    # Tables that are not the project's (Django's admin log...) copy names too.
    outside = outside_forget(scope)
    if mail_jobs:
        outside["procrastinate_jobs"] = mail_jobs
    erased_at = timezone.now()
    log = ErasureLog.objects.create(
        subject=subject,
        outcome=ErasureOutcome.ERASED,
        reason=reason,
        request=subject_request,
        actor=actor,
        counts={"tables": counts, "files": len(files), "outside": outside},
        replay_of=replay_of,
    )
    history_reason = erasure_history_reason(log=log)
    # Written after the blanking, so these history rows copy blank values only.
    for consent in Consent.objects.filter(subject=subject, state=ConsentState.GIVEN):
        consent.state = ConsentState.WITHDRAWN
        consent.withdrawn_at = erased_at
        consent.withdrawal_channel = WithdrawalChannel.ERASURE
        save_with_history(consent, actor=actor, reason=history_reason)
    transfer_notices_cancel_for_erasure(subject=subject, actor=actor, reason=history_reason)
    subject.refresh_from_db()
    subject.state = SubjectState.ERASED
    subject.erased_at = erased_at
    save_with_history(subject, actor=actor, reason=history_reason)
    entry = JournalEntry(
        log_id=log.pk,
        subject_id=subject.pk,
        erased_at=erased_at.isoformat(),
        actor=actor.get_username() if actor else "",
        reason=reason,
        request_id=subject_request.pk if subject_request else None,
    )
    # A replay is already in the journal, under the erasure it repeats.
    transaction.on_commit(lambda: _after_commit(entry, files, journal=replay_of is None))
    return log


def _after_commit(entry: JournalEntry, files: set[str], *, journal: bool) -> None:
    if journal:
        journal_append(entry)
    for name in files:
        default_storage.delete(name)


@dataclass
class ReplayReport:
    erased: int = 0
    already_erased: int = 0
    missing: int = 0


def erasure_replay(*, path: str | None = None) -> ReplayReport:
    """Erase again every subject the journal names (after a backup restore brought them back)."""
    report = ReplayReport()
    users = get_user_model()
    for entry in journal_read(Path(path) if path else None):
        subject = Subject.objects.filter(pk=entry.subject_id).first()
        if subject is None:
            report.missing += 1
            continue
        if subject.state == SubjectState.ERASED:
            report.already_erased += 1
            continue
        actor = users.objects.filter(**{users.USERNAME_FIELD: entry.actor}).first()
        subject_erase(
            subject=subject,
            actor=actor,
            reason=f"Replay of erasure #{entry.log_id}: {entry.reason}",
            replay_of=entry.log_id,
        )
        report.erased += 1
    return report


# Erasure as an action on a request. Erasure sits above `requests`: it adds this action to the
# request page at ready() (erasure.hooks); `requests` knows nothing of it.

ERASE_PERMISSION = "erasure.erase_subject"

# An answer goes out with the erasure: the answer's preconditions hold too.
REQUEST_ERASE_PRECONDITIONS: tuple[Precondition, ...] = (*ON_SUBJECT, *ANSWER_PRECONDITIONS)


def request_erase_refusal(*, subject_request: SubjectRequest, actor: User) -> RequestError | None:
    """Why the subject of this request can't be erased with its answer now (None when it can):
    only the privacy officer erases; the request is open, matched to a subject not yet erased,
    of a confirmed kind, and has an address for the answer that goes out with the erasure."""
    if not actor.has_perm(ERASE_PERMISSION):
        return RequestError(_("Only the privacy officer may erase a subject."), code="permission")
    return first_refusal(subject_request, REQUEST_ERASE_PRECONDITIONS)


def request_erase(*, subject_request: SubjectRequest, actor: User) -> ErasureLog:
    """Erase the request's subject (the privacy officer approves erasures).

    The erasure runs in its own transaction, so that a refusal it logs (a legal hold) stays
    logged; the entry on the request follows in another.
    """
    refusal = request_erase_refusal(subject_request=subject_request, actor=actor)
    if refusal is not None:
        raise refusal
    subject = fulfilment_start(subject_request)
    try:
        log = subject_erase(
            subject=subject,
            actor=actor,
            reason=reason_for(subject_request, _("Erasure")),
            subject_request=subject_request,
        )
    except ErasureError as error:  # a legal hold, or erased meanwhile: the request's refusal
        raise RequestError(error.text, code=error.code) from error
    with transaction.atomic():
        subject_request.refresh_from_db()
        fulfilment_progress(subject_request, actor=actor, what=_("Erasure"))
        action_record(subject_request, kind=ActionKind.ERASED, actor=actor)
    return log


def request_erase_and_answer(
    *, subject_request: SubjectRequest, actor: User, subject: str, body: str
) -> SubjectRequest:
    """Erase the subject and e-mail the answer to the address the request had.

    Erasure blanks the request's own personal fields too (its letter, the requester's name and
    address), so the answer goes out with the erasure and its text is not kept.
    """
    return answer_send_with(
        subject_request=subject_request,
        actor=actor,
        subject=subject,
        body=body,
        act=lambda: request_erase(subject_request=subject_request, actor=actor),
    )

"""Writes to the inquiry log. Each is atomic and leaves history (user, reason)."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.history import save_valid_with_history
from common.workdays import work_calendar
from inquiries.models import AuthorityInquiry
from subjects.models import Subject
from subjects.services import subject_ensure_writable


class InquiryError(DomainError):
    default_code = "inquiry_refused"


def inquiry_due_on(
    *, received_on: date, due_on: date | None, within_working_days: int | None
) -> date:
    """The answer's due date: the one the inquiry names, or its working days from receipt."""
    if due_on is not None and within_working_days is not None:
        raise InquiryError(
            _("Enter either the due date or the working days, not both."), code="due_twice"
        )
    if due_on is not None:
        return due_on
    if within_working_days is not None and within_working_days > 0:
        return work_calendar().add_days(received_on, within_working_days)
    raise InquiryError(
        _("Enter when the answer is due: the date the inquiry names, or its working days."),
        code="due_missing",
    )


@transaction.atomic
def inquiry_record(
    *,
    actor: User | None,
    reason: str,
    received_on: date,
    body_kind: str,
    body: str,
    reference_number: str,
    subject_matter: str,
    subjects: Iterable[Subject] = (),
    due_on: date | None = None,
    within_working_days: int | None = None,
    document: "File[Any] | None" = None,
) -> AuthorityInquiry:
    """Log an inquiry as received; the subjects it concerns are optional and never erased ones."""
    if received_on > timezone.localdate():
        raise InquiryError(_("An inquiry is logged once received, not before."), code="future")
    subjects = list(subjects)
    for subject in subjects:
        subject_ensure_writable(subject=subject)  # locks the row: no erasure slips in between
    inquiry = AuthorityInquiry(
        received_on=received_on,
        body_kind=body_kind,
        body=body.strip(),
        reference_number=reference_number.strip(),
        subject_matter=subject_matter.strip(),
        due_on=inquiry_due_on(
            received_on=received_on, due_on=due_on, within_working_days=within_working_days
        ),
        recorded_by=actor,
    )
    if document is not None:
        inquiry.document = document
    save_valid_with_history(inquiry, actor=actor, reason=reason)
    inquiry.subjects.set(subjects)
    return inquiry


@transaction.atomic
def inquiry_answer(
    *,
    inquiry: AuthorityInquiry,
    answered_on: date,
    actor: User | None,
    reason: str,
    answer_document: "File[Any] | None" = None,
) -> AuthorityInquiry:
    """Record the operator's answer: its date and, when kept, the answer itself."""
    inquiry = AuthorityInquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.answered_on is not None:
        raise InquiryError(_("This inquiry is already answered."), code="answered")
    if answered_on > timezone.localdate():
        raise InquiryError(_("An answer is recorded once sent, not before."), code="future")
    inquiry.answered_on = answered_on
    if answer_document is not None:
        inquiry.answer_document = answer_document
    save_valid_with_history(inquiry, actor=actor, reason=reason)
    return inquiry

"""Writes to data subjects. Each one validates, records history (user and reason) and is atomic."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.history import delete_with_history, save_with_history
from subjects.models import ContactHandle, Subject, SubjectState


@transaction.atomic
def subject_create(*, actor: User | None, reason: str, data: Mapping[str, Any]) -> Subject:
    """Create a subject; e-mail and phone are normalised and checked before anything is written."""
    subject = Subject(**data)
    subject.full_clean()
    save_with_history(subject, actor=actor, reason=reason)
    return subject


@transaction.atomic
def subject_update(
    *, subject: Subject, actor: User | None, reason: str, data: Mapping[str, Any]
) -> Subject:
    """Change the given fields of a subject; nothing is written unless the result is valid."""
    for name, value in data.items():
        setattr(subject, name, value)
    subject.full_clean()
    save_with_history(subject, actor=actor, reason=reason)
    return subject


@transaction.atomic
def handle_add(
    *, subject: Subject, actor: User | None, reason: str, kind: str, value: str
) -> ContactHandle:
    handle = ContactHandle(subject=subject, kind=kind, value=value.strip())
    handle.full_clean()
    save_with_history(handle, actor=actor, reason=reason)
    return handle


@transaction.atomic
def handle_remove(*, handle: ContactHandle, actor: User | None, reason: str) -> None:
    delete_with_history(handle, actor=actor, reason=reason)


class SubjectStateError(ValidationError):
    """A change of state the subject's current state does not allow."""


@transaction.atomic
def subject_block(*, subject: Subject, actor: User | None, reason: str) -> Subject:
    """Block processing: the subject leaves every mailing list and export until unblocked.

    Blocking keeps the data (nothing is blanked); readers of the registers select active
    subjects only, so a blocked one drops out of them without any of them knowing why.
    """
    if subject.state != SubjectState.ACTIVE:
        raise SubjectStateError(
            _("Only an active subject can be blocked; this one is %(state)s."),
            params={"state": subject.get_state_display()},
            code="not_active",
        )
    subject.state = SubjectState.BLOCKED
    subject.blocked_at = timezone.now()
    subject.full_clean()
    save_with_history(subject, actor=actor, reason=reason)
    return subject


@transaction.atomic
def subject_unblock(*, subject: Subject, actor: User | None, reason: str) -> Subject:
    """Lift a block: the subject is active again (the history keeps when it was blocked)."""
    if subject.state != SubjectState.BLOCKED:
        raise SubjectStateError(
            _("Only a blocked subject can be unblocked; this one is %(state)s."),
            params={"state": subject.get_state_display()},
            code="not_blocked",
        )
    subject.state = SubjectState.ACTIVE
    subject.blocked_at = None
    subject.full_clean()
    save_with_history(subject, actor=actor, reason=reason)
    return subject

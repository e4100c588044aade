"""Writes to data subjects. Each one validates, records history (user and reason) and is atomic."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.history import delete_with_history, save_with_history
from subjects.models import ContactHandle, Subject, SubjectState


class SubjectStateError(ValidationError):
    """A change of state the subject's current state does not allow."""


class SubjectErased(SubjectStateError):
    """A write to an erased subject, or to anything attached to it: erasure is final."""


def subject_is_erased(subject: Subject) -> bool:
    """Whether nothing may be written to this subject any more (the admin renders it read-only)."""
    return subject.state == SubjectState.ERASED


def subject_ensure_writable(*, subject: Subject | int) -> None:
    """Refuse any write to an erased subject or to what hangs off it (handles, agreements,
    consents). The one rule every writer calls, inside its transaction.

    It locks the subject's row until the transaction ends, as the erasure does, and reads the
    state under that lock: a write and an erasure of the same person never interleave, and a
    write that waited for an erasure sees the subject erased and stops.
    """
    subject_id = subject if isinstance(subject, int) else subject.pk
    if subject_id is None:
        return  # a subject being created: nothing to lock, nothing erased
    state = (
        Subject.objects.select_for_update()
        .filter(pk=subject_id)
        .values_list("state", flat=True)
        .first()
    )
    if state == SubjectState.ERASED:
        if isinstance(subject, Subject):
            subject.state = SubjectState.ERASED
        raise SubjectErased(
            _("Subject #%(id)s is erased: nothing can be written to it or to its records."),
            params={"id": subject_id},
            code="erased",
        )


@transaction.atomic
def subject_create(
    *, actor: AbstractBaseUser | None, reason: str, data: Mapping[str, Any]
) -> Subject:
    """Create a subject; e-mail and phone are normalised and checked before anything is written."""
    subject = Subject(**data)
    subject.full_clean()
    save_with_history(subject, actor=actor, reason=reason)
    return subject


@transaction.atomic
def subject_update(
    *, subject: Subject, actor: AbstractBaseUser | None, reason: str, data: Mapping[str, Any]
) -> Subject:
    """Change the given fields of a subject; nothing is written unless the result is valid."""
    subject_ensure_writable(subject=subject)
    for name, value in data.items():
        setattr(subject, name, value)
    subject.full_clean()
    save_with_history(subject, actor=actor, reason=reason)
    return subject


@transaction.atomic
def handle_add(
    *, subject: Subject, actor: AbstractBaseUser | None, reason: str, kind: str, value: str
) -> ContactHandle:
    subject_ensure_writable(subject=subject)
    handle = ContactHandle(subject=subject, kind=kind, value=value.strip())
    handle.full_clean()
    save_with_history(handle, actor=actor, reason=reason)
    return handle


@transaction.atomic
def handle_remove(*, handle: ContactHandle, actor: AbstractBaseUser | None, reason: str) -> None:
    subject_ensure_writable(subject=handle.subject_id)
    delete_with_history(handle, actor=actor, reason=reason)


@transaction.atomic
def subject_block(*, subject: Subject, actor: AbstractBaseUser | None, reason: str) -> Subject:
    """Block processing: the subject leaves every mailing list and export until unblocked.

    Blocking keeps the data (nothing is blanked); readers of the registers select active
    subjects only, so a blocked one drops out of them without any of them knowing why.
    """
    subject_ensure_writable(subject=subject)
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
def subject_unblock(*, subject: Subject, actor: AbstractBaseUser | None, reason: str) -> Subject:
    """Lift a block: the subject is active again (the history keeps when it was blocked)."""
    subject_ensure_writable(subject=subject)
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

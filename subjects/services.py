"""Writes to data subjects. Each one validates, records history (user and reason) and is atomic."""

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.blanking import record_delete
from common.errors import DomainError
from common.history import save_valid_with_history, save_with_history
from common.locks import person_lock
from subjects.models import ContactHandle, Subject, SubjectState


class SubjectStateError(DomainError):
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


class SubjectSuppressed(DomainError):
    """A new subject whose e-mail or phone is on the suppression list (erased, unsubscribed)."""


# Whether an e-mail or phone is on the suppression list. The list belongs to `consents`, above
# this app: it registers its check here when it loads (consents.apps).
_suppression_checks: list[Callable[..., bool]] = []


def register_suppression_check(check: Callable[..., bool]) -> None:
    if check not in _suppression_checks:
        _suppression_checks.append(check)


def subject_creation_refusal(*, email: str | None, phone: str | None) -> SubjectSuppressed | None:
    """Why a subject with this e-mail or phone may not simply be created, or None.

    The person was erased, or unsubscribed or withdrew: creating them again needs a new act of
    theirs (they wrote to us, signed again), stated by whoever creates them. The service refuses
    without it; the admin's add form asks for it.
    """
    if any(check(email=email, phone=phone) for check in _suppression_checks):
        return SubjectSuppressed(
            _(
                "This e-mail or phone is on the suppression list: the person was erased, "
                "unsubscribed or withdrew a consent. Record how they gave their data anew to "
                "add them."
            ),
            code="suppressed",
        )
    return None


@transaction.atomic
def subject_create(
    *,
    actor: User | None,
    reason: str,
    data: Mapping[str, Any],
    renewed_by: str = "",
) -> Subject:
    """Create a subject; e-mail and phone are normalised and checked before anything is written.

    A person on the suppression list is created only with `renewed_by`, the new act by which
    they gave their data again; it is written into the history row. The check runs under the
    person's lock, which erasure holds too: no creation slips in beside an erasure.
    """
    # The lock before any read: an erasure of this person now running is waited for.
    person_lock(email=data.get("email"), phone=data.get("phone"))
    subject = Subject(**data)
    subject.full_clean()
    refusal = subject_creation_refusal(email=subject.email, phone=subject.phone)
    if refusal is not None:
        if not renewed_by.strip():
            raise refusal
        reason = str(_("%(reason)s. On the suppression list; given anew: %(renewed)s")) % {
            "reason": reason,
            "renewed": renewed_by.strip(),
        }
    save_with_history(subject, actor=actor, reason=reason)
    return subject


@transaction.atomic
def subject_update(
    *, subject: Subject, actor: User | None, reason: str, data: Mapping[str, Any]
) -> Subject:
    """Change the given fields of a subject; nothing is written unless the result is valid."""
    subject_ensure_writable(subject=subject)
    for name, value in data.items():
        setattr(subject, name, value)
    save_valid_with_history(subject, actor=actor, reason=reason)
    return subject


@transaction.atomic
def handle_add(
    *, subject: Subject, actor: User | None, reason: str, kind: str, value: str
) -> ContactHandle:
    subject_ensure_writable(subject=subject)
    handle = ContactHandle(subject=subject, kind=kind, value=value.strip())
    save_valid_with_history(handle, actor=actor, reason=reason)
    return handle


@transaction.atomic
def handle_remove(*, handle: ContactHandle, actor: User | None, reason: str) -> None:
    """Remove an account of the subject: its value is forgotten in its history too, so the
    history says that an account was removed, when, by whom and why, not which."""
    subject_ensure_writable(subject=handle.subject_id)
    record_delete(handle, actor=actor, reason=reason)


@transaction.atomic
def subject_block(*, subject: Subject, actor: User | None, reason: str) -> Subject:
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
    save_valid_with_history(subject, actor=actor, reason=reason)
    return subject


@transaction.atomic
def subject_unblock(*, subject: Subject, actor: User | None, reason: str) -> Subject:
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
    save_valid_with_history(subject, actor=actor, reason=reason)
    return subject

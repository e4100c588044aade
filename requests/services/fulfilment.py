"""Doing what a request asks, one service per action, each leaving an entry on the request.

The changes themselves are made by the services of the apps that own the data (subjects,
consents), with the request named in their history reason; this module records on the request
what was done, by whom and when, and moves it to "in progress".
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from common.fields import field_label
from common.history import save_valid_with_history
from consents.models import Consent, ConsentState, Purpose, WithdrawalChannel
from consents.services import consent_withdraw
from requests.models import (
    ActionKind,
    PublicSourceRemoval,
    RequestChannel,
    RequestStatus,
    SubjectRequest,
)
from requests.services.base import (
    ON_SUBJECT,
    RequestError,
    action_record,
    ensure_open,
    first_refusal,
    mark_in_progress,
    reason_for,
    refuse,
    request_save,
)
from requests.services.deadlines import refusal_rule_apply
from subjects.models import Subject
from subjects.services import subject_block, subject_unblock, subject_update

# How a request arrived says how the withdrawal arrived (the consent keeps it). A request made
# through the site is a written request like an e-mail.
WITHDRAWAL_CHANNELS: dict[str, WithdrawalChannel] = {
    RequestChannel.EMAIL: WithdrawalChannel.EMAIL_REQUEST,
    RequestChannel.WEB: WithdrawalChannel.EMAIL_REQUEST,
    RequestChannel.LETTER: WithdrawalChannel.LETTER,
    RequestChannel.IN_PERSON: WithdrawalChannel.IN_PERSON,
}

RECTIFIABLE_FIELDS = (
    "last_name", "first_name", "patronymic", "email", "phone", "birth_date", "country", "city",
    "address", "position", "organisation", "website", "preferred_language",
)  # fmt: skip


def fulfilment_start(subject_request: SubjectRequest) -> Subject:
    """The subject an action on the request acts on: the request is open, matched to a subject,
    and nothing is done to an erased subject (refused again under the subject's lock by the
    subjects' services)."""
    refuse(subject_request, ON_SUBJECT)
    subject = subject_request.subject
    assert subject is not None  # noqa: S101 - an unmatched request is refused above
    return subject


def fulfilment_progress(subject_request: SubjectRequest, *, actor: User | None, what: str) -> None:
    """A received request is in progress once something is done for it."""
    if subject_request.status == RequestStatus.RECEIVED:
        mark_in_progress(subject_request)
        request_save(subject_request, actor=actor, reason=reason_for(subject_request, what))


@transaction.atomic
def request_rectify(
    *, subject_request: SubjectRequest, actor: User, data: Mapping[str, Any]
) -> Subject:
    """Correct the subject's data as the request asks; the subject's history names the request."""
    subject = fulfilment_start(subject_request)
    unknown = set(data) - set(RECTIFIABLE_FIELDS)
    if unknown:
        raise ValueError(f"not rectifiable: {sorted(unknown)}")
    changed = {name: value for name, value in data.items() if getattr(subject, name) != value}
    if not changed:
        raise RequestError(_("Nothing was changed."), code="unchanged")
    what = _("Rectification")
    subject_update(
        subject=subject, actor=actor, reason=reason_for(subject_request, what), data=changed
    )
    fulfilment_progress(subject_request, actor=actor, what=what)
    # In the requester's language: the note goes into their answer.
    with translation.override(subject_request.language):
        labels = [field_label(Subject, name) for name in changed]
    action_record(subject_request, kind=ActionKind.RECTIFIED, actor=actor, note=", ".join(labels))
    return subject


def _subject_state_change(
    subject_request: SubjectRequest,
    change: Callable[..., Subject],
    *,
    actor: User,
    what: str,
    kind: ActionKind,
) -> Subject:
    subject = fulfilment_start(subject_request)
    change(subject=subject, actor=actor, reason=reason_for(subject_request, what))
    fulfilment_progress(subject_request, actor=actor, what=what)
    action_record(subject_request, kind=kind, actor=actor)
    return subject


@transaction.atomic
def request_block(*, subject_request: SubjectRequest, actor: User) -> Subject:
    """Block the subject's data: out of every mailing list and export until unblocked."""
    return _subject_state_change(
        subject_request, subject_block, actor=actor, what=_("Blocking"), kind=ActionKind.BLOCKED
    )


@transaction.atomic
def request_unblock(*, subject_request: SubjectRequest, actor: User) -> Subject:
    return _subject_state_change(
        subject_request,
        subject_unblock,
        actor=actor,
        what=_("Unblocking"),
        kind=ActionKind.UNBLOCKED,
    )


def withdrawable_consents(subject_request: SubjectRequest) -> list[Consent]:
    """The matched subject's live consents, for the staff to choose from."""
    if subject_request.subject_id is None:
        return []
    return list(
        Consent.objects.filter(subject_id=subject_request.subject_id, state=ConsentState.GIVEN)
        .select_related("purpose")
        .order_by("purpose__sort_order", "purpose__code")
    )


def request_withdraw_refusal(subject_request: SubjectRequest) -> RequestError | None:
    """Why consents can't be withdrawn for this request now (None when they can)."""
    refusal = first_refusal(subject_request, ON_SUBJECT)
    if refusal is None and not withdrawable_consents(subject_request):
        refusal = RequestError(_("The subject has no live consent."), code="none")
    return refusal


@transaction.atomic
def request_withdraw_consents(
    *, subject_request: SubjectRequest, actor: User, purposes: Iterable[Purpose] | None
) -> list[Consent]:
    """Withdraw the consents for `purposes` (every live one when None); the request names them."""
    subject = fulfilment_start(subject_request)
    what = _("Withdrawal of consent")
    withdrawn = consent_withdraw(
        subject=subject,
        purposes=None if purposes is None else list(purposes),
        channel=WITHDRAWAL_CHANNELS[subject_request.channel],
        actor=actor,
        reason=reason_for(subject_request, what),
    )
    if not withdrawn:
        raise RequestError(_("The subject has no live consent for these purposes."), code="none")
    fulfilment_progress(subject_request, actor=actor, what=what)
    # The note goes into the requester's answer.
    with translation.override(subject_request.language):
        note = ", ".join(str(c.purpose) for c in withdrawn)
    action_record(
        subject_request,
        kind=ActionKind.CONSENTS_WITHDRAWN,
        actor=actor,
        note=note,
        consents=withdrawn,
    )
    return withdrawn


@transaction.atomic
def request_refuse(*, subject_request: SubjectRequest, actor: User, reason: str) -> SubjectRequest:
    """Decide to refuse; the reason is required and goes into the answer.

    The request closes as refused when that answer is sent. A reasoned refusal has its own
    deadline rule, counted from receipt.
    """
    ensure_open(subject_request)
    if not reason.strip():
        raise RequestError(_("A refusal needs its reason."), code="reason")
    subject_request.refusal_reason = reason.strip()
    mark_in_progress(subject_request)
    refusal_rule_apply(subject_request)
    request_save(
        subject_request, actor=actor, reason=reason_for(subject_request, _("Refusal decided"))
    )
    action_record(
        subject_request, kind=ActionKind.REFUSED, actor=actor, note=subject_request.refusal_reason
    )
    return subject_request


@transaction.atomic
def request_record_public_removal(
    *, subject_request: SubjectRequest, actor: User, source: str, removed_at: datetime
) -> PublicSourceRemoval:
    """Record that the subject's data was removed from a public source (Art. 6), and where.

    Staff remove it where it was published (the site, the directory); this records the place
    and the moment, and the answer lists them. One record per place.
    """
    ensure_open(subject_request)
    source = source.strip()
    if not source:
        raise RequestError(_("Say where the data was published."), code="source")
    if removed_at > timezone.now():
        raise RequestError(_("Record a removal once it is done, not before."), code="future")
    what = _("Removal from public sources")
    fulfilment_progress(subject_request, actor=actor, what=what)
    with translation.override(subject_request.language):
        when = formats.date_format(timezone.localtime(removed_at), "DATETIME_FORMAT")
        note = _("%(source)s, removed %(when)s") % {"source": source, "when": when}
    action = action_record(
        subject_request, kind=ActionKind.REMOVED_FROM_PUBLIC, actor=actor, note=note
    )
    removal = PublicSourceRemoval(
        request=subject_request,
        action=action,
        source=source,
        removed_at=removed_at,
        recorded_by=actor,
    )
    save_valid_with_history(removal, actor=actor, reason=reason_for(subject_request, what))
    return removal

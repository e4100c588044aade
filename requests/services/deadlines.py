"""Deadlines of requests: the rule per kind, the due date, pausing, resuming and extending.

The due date is counted from the day after receipt (the receipt's Almaty date never counts), in
working days of Kazakhstan (`common.workdays`) or in calendar days, as the kind's rule says. The
rule in force is copied onto the request when it arrives or its kind is confirmed, so a rule the
officer changes later applies to new requests only.

Pause: while the operator waits for the requester's information the clock stands still. The day
the clock is paused still counts (work was done on it); days after it, up to and including the
day the requester answers, do not: counting resumes on the day after their answer, as it started
on the day after receipt. While paused the request has no due date.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.history import save_with_history
from common.workdays import WorkCalendar, local_date, work_calendar
from requests.models import (
    ActionKind,
    DeadlineRule,
    DeadlineUnit,
    RequestPause,
    RequestStatus,
    SubjectRequest,
)
from requests.services.base import (
    Precondition,
    RequestError,
    action_record,
    reason_for,
    refuse,
    request_clock_paused,
    request_clock_running,
    request_closed,
    request_save,
)


@dataclass(frozen=True)
class Rule:
    """The periods of one kind: legal limit, internal target (optional), reasoned refusal."""

    days: int
    unit: str
    target_days: int | None
    refusal_days: int


# Used only when the officer has deleted a kind's rule: the shortest answer period in the law.
FALLBACK_RULE = Rule(days=3, unit=DeadlineUnit.WORKING_DAYS, target_days=None, refusal_days=3)


def deadline_rule(kind: str) -> Rule:
    """The periods of the rule for a request kind."""
    row = (
        DeadlineRule.objects.filter(key=kind)
        .values_list("days", "unit", "target_days", "refusal_days")
        .first()
    )
    if row is None:
        return FALLBACK_RULE
    days, unit, target_days, refusal_days = row
    return Rule(days=days, unit=unit, target_days=target_days, refusal_days=refusal_days)


def due_date_compute(
    *,
    received_at: datetime,
    days: int,
    unit: str,
    pauses: Sequence[tuple[date, date | None]] = (),
    calendar: WorkCalendar | None = None,
) -> date | None:
    """The last day to answer; None while a pause is open (the clock is stopped)."""
    closed = [(start, end) for start, end in pauses if end is not None]
    if len(closed) < len(pauses):
        return None
    calendar = calendar or work_calendar()

    def paused(day: date) -> bool:
        return any(start < day <= end for start, end in closed)

    return calendar.add_days(
        local_date(received_at),
        days,
        working=unit == DeadlineUnit.WORKING_DAYS,
        skip=paused if pauses else None,
    )


def _pause_spans(subject_request: SubjectRequest) -> list[tuple[date, date | None]]:
    if subject_request.pk is None:
        return []
    return [
        (local_date(paused_at), local_date(resumed_at) if resumed_at else None)
        for paused_at, resumed_at in subject_request.pauses.values_list("paused_at", "resumed_at")
    ]


def due_date_refresh(subject_request: SubjectRequest) -> None:
    """Recompute the due date (legal limit) and the internal target date (not saved here).

    An extension moves the due date only: the internal target is the operator's own.
    """
    if subject_request.deadline_days is None:
        subject_request.due_date = subject_request.target_date = None
        return
    pauses = _pause_spans(subject_request)
    calendar = work_calendar()  # read once for both dates
    subject_request.due_date = due_date_compute(
        received_at=subject_request.received_at,
        days=subject_request.deadline_days + subject_request.extension_days,
        unit=subject_request.deadline_unit,
        pauses=pauses,
        calendar=calendar,
    )
    subject_request.target_date = (
        due_date_compute(
            received_at=subject_request.received_at,
            days=subject_request.target_days,
            unit=subject_request.deadline_unit,
            pauses=pauses,
            calendar=calendar,
        )
        if subject_request.target_days
        else None
    )


def rule_apply(subject_request: SubjectRequest) -> None:
    """Copy the rule of the request's kind onto it and recompute its dates."""
    rule = deadline_rule(subject_request.kind)
    subject_request.deadline_days, subject_request.deadline_unit = rule.days, rule.unit
    subject_request.target_days = rule.target_days
    due_date_refresh(subject_request)


def refusal_rule_apply(subject_request: SubjectRequest) -> None:
    """A reasoned refusal is due within its kind's refusal period, counted from receipt.

    The internal target stays only while it is still shorter than the refusal period.
    """
    rule = deadline_rule(subject_request.kind)
    subject_request.deadline_days, subject_request.deadline_unit = rule.refusal_days, rule.unit
    if subject_request.target_days is not None and subject_request.target_days >= rule.refusal_days:
        subject_request.target_days = None
    due_date_refresh(subject_request)


# The preconditions of each action (requests.services.base): the service refuses with the first
# that fails; the request page shows the same refusal beside the disabled button.
PAUSE_PRECONDITIONS: tuple[Precondition, ...] = (request_closed, request_clock_paused)
RESUME_PRECONDITIONS: tuple[Precondition, ...] = (request_clock_running,)
EXTEND_PRECONDITIONS: tuple[Precondition, ...] = (request_closed,)


def _clock_record(
    subject_request: SubjectRequest,
    pause: RequestPause,
    *,
    status: RequestStatus,
    kind: ActionKind,
    what: str,
    actor: User | None,
    note: str,
) -> None:
    """Save a pause that opened or closed, move the request's status and due date, log it."""
    pause.full_clean()
    reason = reason_for(subject_request, what)
    save_with_history(pause, actor=actor, reason=reason)
    subject_request.status = status
    due_date_refresh(subject_request)
    request_save(subject_request, actor=actor, reason=reason)
    action_record(subject_request, kind=kind, actor=actor, note=note.strip())


@transaction.atomic
def request_pause(
    *,
    subject_request: SubjectRequest,
    actor: User | None,
    note: str,
    at: datetime | None = None,
) -> RequestPause:
    """Stop the clock while the operator waits for the requester; the request awaits information."""
    refuse(subject_request, PAUSE_PRECONDITIONS)
    pause = RequestPause(
        request=subject_request, paused_at=at or timezone.now(), note=note.strip(), paused_by=actor
    )
    _clock_record(
        subject_request,
        pause,
        status=RequestStatus.AWAITING_INFORMATION,
        kind=ActionKind.PAUSED,
        what=_("Clock paused"),
        actor=actor,
        note=note,
    )
    return pause


@transaction.atomic
def request_resume(
    *,
    subject_request: SubjectRequest,
    actor: User | None,
    note: str = "",
    at: datetime | None = None,
) -> RequestPause:
    """Start the clock again (the requester answered); the due date moves by the paused days."""
    pause = subject_request.pauses.select_for_update().filter(resumed_at__isnull=True).first()
    if pause is None:
        raise request_clock_running(subject_request) or RequestError(
            _("The clock is not paused."), code="not_paused"
        )
    pause.resumed_at = max(at or timezone.now(), pause.paused_at)
    pause.resumed_by = actor
    _clock_record(
        subject_request,
        pause,
        status=RequestStatus.IN_PROGRESS,
        kind=ActionKind.RESUMED,
        what=_("Clock resumed"),
        actor=actor,
        note=note,
    )
    return pause


@transaction.atomic
def request_extend(
    *, subject_request: SubjectRequest, days: int, reason: str, actor: User | None
) -> SubjectRequest:
    """Give the request more days (in its rule's unit); the reason is required and recorded."""
    refuse(subject_request, EXTEND_PRECONDITIONS)
    if days < 1:
        raise RequestError(_("Extend by at least one day."), code="days")
    if not reason.strip():
        raise RequestError(_("Say why the deadline is extended."), code="reason")
    if subject_request.deadline_days is None:
        rule_apply(subject_request)
    subject_request.extension_days += days
    due_date_refresh(subject_request)
    request_save(
        subject_request, actor=actor, reason=reason_for(subject_request, _("Deadline extended"))
    )
    unit = DeadlineUnit(subject_request.deadline_unit).label
    action_record(
        subject_request,
        kind=ActionKind.EXTENDED,
        actor=actor,
        note=f"+{days} {unit}: {reason.strip()}",
    )
    return subject_request

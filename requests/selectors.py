"""Reads over requests: what is open, what is due when, what the dashboard counts."""

import email
import email.policy
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from common.mentions import Mentions
from common.month_counts import counts_per_month
from common.workdays import WorkCalendar, local_date, work_calendar
from requests.models import OPEN_STATUSES, SubjectRequest, UnreadableMessage
from subjects.models import Subject, SubjectState
from subjects.selectors import subject_find_by_email, subject_search, subjects_writable

# "This week" on the dashboard: the next five working days after today.
WEEK_WORKING_DAYS = 5


def today_in_almaty() -> date:
    return local_date(timezone.now())


def open_requests() -> QuerySet[SubjectRequest]:
    return SubjectRequest.objects.filter(status__in=OPEN_STATUSES)


# How many people the request page suggests as the one a request is about.
MATCH_SUGGESTIONS = 10


def match_suggestions(subject_request: SubjectRequest) -> list[Subject]:
    """Who the request may be about: the matched subject, the candidates intake found, the owner
    of the reply address, and namesakes of the requester (a few indexed queries)."""
    found: list[Subject] = []
    if subject_request.subject_id is not None:
        found.append(subject_request.subject)  # type: ignore[arg-type]
    if subject_request.pk:
        found += subject_request.candidates.all()
    if subject_request.reply_email:
        owner = subject_find_by_email(email=subject_request.reply_email)
        found += [owner] if owner else []
    name = " ".join(
        part
        for part in (subject_request.requester_last_name, subject_request.requester_first_name)
        if part
    )
    if name:
        found += subject_search(subjects_writable(), name).order_by("pk")[:MATCH_SUGGESTIONS]
    unique = {subject.pk: subject for subject in found if subject.state != SubjectState.ERASED}
    return list(unique.values())[:MATCH_SUGGESTIONS]


def request_is_paused(subject_request: SubjectRequest) -> bool:
    """Whether the request's clock stands still: a pause of it is not resumed yet."""
    return subject_request.pauses.filter(resumed_at__isnull=True).exists()


@dataclass(frozen=True)
class DueHorizon:
    today: date
    week_end: date
    next_working_day: date


def due_horizon(*, today: date | None = None, calendar: WorkCalendar | None = None) -> DueHorizon:
    today = today or today_in_almaty()
    calendar = calendar or work_calendar()
    return DueHorizon(
        today=today,
        week_end=calendar.add_days(today, WEEK_WORKING_DAYS),
        next_working_day=calendar.add_days(today, 1),
    )


# Overdue: past the legal limit. Late: past the operator's internal target, not yet overdue.
DUE_BUCKETS = ("overdue", "late", "today", "week")


def _bucket_filter(bucket: str, horizon: DueHorizon) -> Q:
    return {
        "overdue": Q(due_date__lt=horizon.today),
        "late": Q(target_date__lt=horizon.today, due_date__gte=horizon.today),
        "today": Q(due_date=horizon.today),
        "week": Q(due_date__gt=horizon.today, due_date__lte=horizon.week_end),
    }[bucket]


def requests_due(*, bucket: str, horizon: DueHorizon | None = None) -> QuerySet[SubjectRequest]:
    """Open requests overdue, late, due today, or due within the next five working days."""
    return open_requests().filter(_bucket_filter(bucket, horizon or due_horizon()))


def deadline_counts(*, horizon: DueHorizon | None = None) -> dict[str, int]:
    """Open requests overdue, late, due today, this week: one query (and one for the calendar)."""
    horizon = horizon or due_horizon()
    return open_requests().aggregate(
        **{bucket: Count("pk", filter=_bucket_filter(bucket, horizon)) for bucket in DUE_BUCKETS},
        awaiting_kind=Count("pk", filter=Q(kind_confirmed_at__isnull=True)),
        paused=Count("pk", filter=Q(due_date__isnull=True, deadline_days__isnull=False)),
    )


QUEUE_TABS = ("all", "mine", "unassigned")
# The desk shows the most urgent requests; the rest are one click away in the list.
QUEUE_LENGTH = 25


@dataclass(frozen=True)
class QueueRow:
    """A request on the desk and its working days left (negative: overdue; None: paused)."""

    subject_request: SubjectRequest
    days_left: int | None

    @property
    def urgency(self) -> str:
        if self.days_left is None:
            return "paused"
        if self.days_left < 0:
            return "overdue"
        if self.days_left <= 1:
            return "due"
        return "open"

    @property
    def overdue_by(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _queue_filter(tab: str, user_id: int | None) -> Q:
    return {
        "all": Q(),
        "mine": Q(assignee_id=user_id),
        "unassigned": Q(assignee__isnull=True),
    }[tab]


def work_queue_counts(*, user_id: int | None) -> dict[str, int]:
    """How many open requests each tab of the desk holds: one query."""
    return open_requests().aggregate(
        **{tab: Count("pk", filter=_queue_filter(tab, user_id)) for tab in QUEUE_TABS}
    )


def work_queue(
    *,
    user_id: int | None,
    tab: str = "all",
    horizon: DueHorizon,
    calendar: WorkCalendar,
    limit: int = QUEUE_LENGTH,
) -> list[QueueRow]:
    """Open requests, the least time left first (paused ones last): one query.

    `tab` is "all", "mine" (assigned to `user_id`) or "unassigned"; anything else is "all".
    """
    if tab not in QUEUE_TABS:
        tab = "all"
    requests = (
        open_requests()
        .filter(_queue_filter(tab, user_id))
        .select_related("assignee")
        .order_by(F("due_date").asc(nulls_last=True), "received_at", "pk")[:limit]
    )
    return [
        QueueRow(
            subject_request=subject_request,
            days_left=(
                None
                if subject_request.due_date is None
                else calendar.working_days_between(horizon.today, subject_request.due_date)
            ),
        )
        for subject_request in requests
    ]


def requests_to_remind(*, horizon: DueHorizon | None = None) -> QuerySet[SubjectRequest]:
    """Open requests due within one working day (today's, tomorrow's, and the overdue)."""
    horizon = horizon or due_horizon()
    return (
        open_requests()
        .filter(due_date__lte=horizon.next_working_day)
        .select_related("assignee")
        .order_by("due_date", "pk")
    )


def _message_text(raw: bytes) -> str:
    """Every header and decoded text part of a message, lower-cased, as far as it can be read."""
    parts = [raw.decode("utf-8", "replace")]
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts += [str(value) for value in message.values()]
        for part in message.walk():
            if part.get_content_maintype() == "text":
                parts.append(str(part.get_content()))
    except Exception:  # noqa: S110 (unreadable is what these messages are; raw text stays)
        pass
    return "\n".join(parts).lower()


def unreadable_messages_mentioning(mentions: Mentions) -> list[UnreadableMessage]:
    """Unreadable messages that name the person (their e-mail addresses or phone numbers).

    They link to no subject, so erasure finds the person's in them by what the person is
    called by (common.mentions). Few are ever kept: each file is read.
    """
    found = []
    for message in UnreadableMessage.objects.exclude(raw_message="").order_by("pk"):
        try:
            with message.raw_message.open("rb") as stream:
                text = _message_text(stream.read())
        except OSError:
            continue  # the file is gone already: nothing of anyone in it
        if mentions(text):
            found.append(message)
    return found


def requests_per_month(*, since: date) -> dict[date, int]:
    """Requests received in each month from `since` (one grouped query)."""
    return counts_per_month(SubjectRequest.objects.all(), "received_at", since=since)

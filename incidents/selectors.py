"""Reads over the breach register: deadlines, the affected list, and who holds which data where."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from common import blanking, personal_data
from common.fields import model_field
from common.workdays import ALMATY, WorkCalendar, local_date, work_calendar
from consents.models import Consent, ConsentState
from incidents.models import (
    NOTICE_RULE,
    AffectedSubject,
    Incident,
    IncidentState,
    NotificationRule,
)
from processors.models import Processor
from subjects.models import Subject, SubjectState

# Used only when the officer has deleted the rule: the law's own period.
FALLBACK_RULE = (1, "working_days")


def notification_rule() -> tuple[int, str]:
    """(days, unit) of the rule for notifying the authorised body."""
    rule = NotificationRule.objects.filter(key=NOTICE_RULE).values_list("days", "unit").first()
    return rule or FALLBACK_RULE


def notice_due_date(
    *, detected_at: datetime, days: int, unit: str, calendar: WorkCalendar | None = None
) -> date:
    """The last day to notify: `days` after the Almaty date of detection (which never counts).

    Detected on a Friday, one working day gives the next working day (Monday, or later across
    a holiday; a Saturday worked by decree counts as a working day).
    """
    calendar = calendar or work_calendar()
    return calendar.add_days(local_date(detected_at), days, working=unit == "working_days")


def due_moment(due_date: date) -> datetime:
    """The end of the due date in Almaty: the notice is late from this moment on."""
    return datetime.combine(due_date + timedelta(days=1), time.min, tzinfo=ALMATY)


@dataclass(frozen=True)
class OpenIncident:
    incident: Incident
    time_left: timedelta | None  # None when it has no due date

    @property
    def overdue(self) -> bool:
        return self.time_left is not None and self.time_left <= timedelta(0)

    @property
    def hours_left(self) -> int | None:
        if self.time_left is None:
            return None
        return int(self.time_left.total_seconds() // 3600)

    @property
    def hours_overdue(self) -> int:
        if self.time_left is None:
            return 0
        return max(0, int(-self.time_left.total_seconds() // 3600))


def incidents_awaiting_notice() -> QuerySet[Incident]:
    """Open incidents: the authorised body has not been notified yet. Soonest deadline first."""
    return Incident.objects.filter(state=IncidentState.OPEN).order_by("due_date", "detected_at")


def open_incidents_by_time_left(
    *, now: datetime | None = None, limit: int | None = None
) -> list[OpenIncident]:
    """Open incidents with the time left until their deadline (negative when overdue)."""
    now = now or timezone.now()
    incidents = incidents_awaiting_notice()
    if limit is not None:
        incidents = incidents[:limit]
    return [
        OpenIncident(
            incident=incident,
            time_left=due_moment(incident.due_date) - now if incident.due_date else None,
        )
        for incident in incidents
    ]


def incident_counts(*, today: date | None = None) -> dict[str, int]:
    """Open, overdue and notified-but-not-closed incidents: one query."""
    today = today or local_date(timezone.now())
    return Incident.objects.aggregate(
        open=Count("pk", filter=Q(state=IncidentState.OPEN)),
        overdue=Count("pk", filter=Q(state=IncidentState.OPEN, due_date__lt=today)),
        notified=Count("pk", filter=Q(state=IncidentState.NOTIFIED)),
    )


def affected_count(incident: Incident) -> int:
    """Everyone affected, erased people included: erasure removes the name, not the count."""
    return AffectedSubject.objects.filter(incident=incident).count()


def affected_erased_count(incident: Incident) -> int:
    return AffectedSubject.objects.filter(
        incident=incident, subject__state=SubjectState.ERASED
    ).count()


NOTICE_COLUMNS = ("last_name", "first_name", "patronymic", "iin", "phone")


def affected_list_rows(incident: Incident, *, chunk_size: int = 2000) -> Iterator[tuple[str, ...]]:
    """(FIO, IIN, mobile phone) of each affected subject not erased: what the rules ask for.

    Streamed from a server-side cursor in chunks, so memory does not grow with the list. An
    erased subject has no values left to give and is not listed (the count still has them).
    """
    rows = (
        Subject.objects.filter(
            pk__in=AffectedSubject.objects.filter(incident=incident).values("subject_id")
        )
        .exclude(state=SubjectState.ERASED)
        .order_by("pk")
        .values_list(*NOTICE_COLUMNS)
        .iterator(chunk_size=chunk_size)
    )
    for last_name, first_name, patronymic, iin, phone in rows:
        name = " ".join(part for part in (last_name, first_name, patronymic) if part)
        yield name, iin or "", phone or ""


def listed_count(incident: Incident) -> int:
    """How many rows the affected list has (the affected who are not erased)."""
    return (
        AffectedSubject.objects.filter(incident=incident)
        .exclude(subject__state=SubjectState.ERASED)
        .count()
    )


def _holds_category(category: str) -> Q:
    """Subjects with at least one non-blank value of `category`, on themselves or in a table
    that points at them (handles, agreement data...): read from the personal-data registry."""
    condition = Q(pk__in=[])
    for classification in personal_data.classified_models():
        if classification.subject_path is None:
            continue
        names = [n for n, c in classification.personal.items() if c == category]
        if not names:
            continue
        filled = Q(pk__in=[])
        for name in names:
            blank = blanking.blank_value(model_field(classification.model, name))
            one = Q(**{f"{name}__isnull": False})
            if blank is not None:
                one &= ~Q(**{name: blank})
            filled |= one
        if classification.subject_path == "":
            condition |= filled
            continue
        holders = classification.model._default_manager.filter(filled).values(
            classification.subject_path
        )
        condition |= Q(pk__in=holders)
    return condition


def subjects_with_category_at_processor(
    *, category: str, processor: Processor
) -> QuerySet[Subject]:
    """Subjects (not erased) with data of `category` that `processor` receives.

    A processor receives a subject's data for each purpose it serves that the subject has a live
    consent for (as `processors.selectors.subject_recipients` reads it), and only the categories
    its register entry names. So: the processor lists the category, the subject has a live
    consent for one of its purposes, and the subject has a value of that category.
    """
    if category not in (processor.data_categories or []):
        return Subject.objects.none()
    consents = Consent.objects.filter(
        subject=OuterRef("pk"),
        state=ConsentState.GIVEN,
        purpose__in=processor.purposes.values("pk"),
    )
    return (
        Subject.objects.exclude(state=SubjectState.ERASED)
        .filter(Exists(consents))
        .filter(_holds_category(category))
    )

"""Writes to the breach register. Each is atomic, validated, and leaves history (user, reason).

The flow is open -> notified -> closed. The deadline is the notification rule's (one working day
from detection by default), copied onto the incident when it is opened, so a rule the officer
changes later applies to new incidents only.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from common.errors import DomainError
from common.history import delete_with_history, save_valid_with_history
from common.phones import normalise_phone
from incidents.models import (
    AffectedSource,
    AffectedSubject,
    Incident,
    IncidentMeasure,
    IncidentState,
)
from incidents.postgres import affected_links_insert
from incidents.selectors import notice_due_date, notification_rule
from organisation.selectors import operator_profile_get
from requests.models import ActionKind, RequestKind, SubjectRequest
from requests.services.base import action_record
from subjects.models import Subject, SubjectState


class IncidentError(DomainError):
    """A step the rules do not allow on this incident; the message says why."""


# What staff and the privacy officer may set on an incident (the rest is set by the steps).
EDITABLE_FIELDS = (
    "detected_at", "detected_by", "detection_method", "kind", "description", "systems",
    "data_categories", "risk_level", "risk_assessment", "responsible_person",
    "responsible_person_contacts",
)  # fmt: skip


def reason_for(incident: Incident, what: str) -> str:
    """The history reason of a write made for an incident: names the incident, never a person."""
    return f"{what} (incident #{incident.pk})"


# --- preconditions: one function per rule, used by the services and by the admin ---------------
def edit_unavailable(incident: Incident) -> str | None:
    if incident.state == IncidentState.CLOSED:
        return str(gettext_lazy("The incident is closed."))
    return None


def notify_unavailable(incident: Incident) -> str | None:
    if incident.state != IncidentState.OPEN:
        return str(gettext_lazy("The authorised body has been notified already."))
    return None


def close_unavailable(incident: Incident) -> str | None:
    if incident.state == IncidentState.CLOSED:
        return str(gettext_lazy("The incident is closed."))
    if incident.state != IncidentState.NOTIFIED:
        return str(gettext_lazy("Record the notice to the authorised body first."))
    return None


def complaint_incident_unavailable(subject_request: SubjectRequest) -> str | None:
    if subject_request.kind != RequestKind.COMPLAINT:
        return str(gettext_lazy("Only a complaint request becomes a breach incident."))
    opened = subject_request.incidents.values_list("pk", flat=True).first()
    if opened is not None:
        return _("Breach incident #%(number)d was opened from this complaint.") % {"number": opened}
    return None


def detection_time_error(detected_at: datetime | None) -> str | None:
    if detected_at is not None and detected_at > timezone.now():
        return _("A breach is registered after it was detected, not before.")
    return None


def _refuse_if(reason: str | None, code: str) -> None:
    if reason:
        raise IncidentError(reason, code=code)


def _responsible_defaults(incident: Incident) -> None:
    """The responsible person and contacts of the operator profile, unless given."""
    operator = operator_profile_get()
    if operator is None:
        return
    if not incident.responsible_person:
        incident.responsible_person = operator.responsible_person
    if not incident.responsible_person_contacts:
        contacts = (operator.responsible_person_phone, operator.responsible_person_email)
        incident.responsible_person_contacts = ", ".join(c for c in contacts if c)


def _due_date_refresh(incident: Incident) -> None:
    if incident.deadline_days is None:
        incident.deadline_days, incident.deadline_unit = notification_rule()
    incident.due_date = notice_due_date(
        detected_at=incident.detected_at,
        days=incident.deadline_days,
        unit=incident.deadline_unit,
    )


def _save(incident: Incident, *, actor: User | None, reason: str) -> None:
    save_valid_with_history(incident, actor=actor, reason=reason)


@transaction.atomic
def incident_open(
    *,
    actor: User | None,
    reason: str,
    data: dict[str, Any],
    processors: Iterable[Any] = (),
    complaint_request: SubjectRequest | None = None,
) -> Incident:
    """Register a breach. Its deadline is the notification rule's, counted from detection.

    A detection in the future is refused: the register records what has happened.
    """
    incident = Incident(
        **{name: value for name, value in data.items() if name in EDITABLE_FIELDS},
        state=IncidentState.OPEN,
        opened_by=actor,
        complaint_request=complaint_request,
    )
    error = detection_time_error(incident.detected_at)
    if error:
        raise IncidentError({"detected_at": error})
    _responsible_defaults(incident)
    if incident.detected_at:
        _due_date_refresh(incident)
    _save(incident, actor=actor, reason=reason)
    processors = list(processors)
    if processors:
        incident.processors.set(processors)
    return incident


@transaction.atomic
def incident_update(
    *,
    incident: Incident,
    actor: User | None,
    reason: str,
    data: dict[str, Any],
    processors: Iterable[Any] | None = None,
) -> Incident:
    """Change what is known of the breach; a new detection time moves the deadline."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _refuse_if(edit_unavailable(incident), "closed")
    for name, value in data.items():
        if name in EDITABLE_FIELDS:
            setattr(incident, name, value)
    if "detected_at" in data:
        error = detection_time_error(incident.detected_at)
        if error:
            raise IncidentError({"detected_at": error})
        _due_date_refresh(incident)
    _save(incident, actor=actor, reason=reason)
    if processors is not None:
        incident.processors.set(list(processors))
    return incident


@transaction.atomic
def incident_measure_add(
    *,
    incident: Incident,
    actor: User | None,
    description: str,
    taken_at: datetime | None = None,
) -> IncidentMeasure:
    """Add a dated measure to the incident's log (measures are added, never edited)."""
    _refuse_if(edit_unavailable(incident), "closed")
    measure = IncidentMeasure(
        incident=incident,
        taken_at=taken_at or timezone.now(),
        description=description.strip(),
        recorded_by=actor,
    )
    save_valid_with_history(
        measure, actor=actor, reason=reason_for(incident, _("Measure recorded"))
    )
    return measure


@transaction.atomic
def incident_subjects_add(
    *,
    incident: Incident,
    subject_ids: Iterable[int] | QuerySet[Subject, int],
    source: str,
    actor: User | None,
) -> int:
    """Add subjects to the affected list (those already on it are left as they are).

    Erased subjects are not added: there is nobody left to notify. One history row per link,
    naming the actor and the incident. `subject_ids` may be a queryset of ids (a selector's
    "everyone with data in X at Y"): on PostgreSQL the links and their history are then written
    by one set-based statement, so a breach of a whole database is recorded in seconds.
    """
    _refuse_if(edit_unavailable(incident), "closed")
    now = timezone.now()
    reason = reason_for(incident, _("Affected subjects added"))
    if isinstance(subject_ids, QuerySet):
        batches = [Subject.objects.filter(pk__in=subject_ids)]
    else:
        wanted = sorted(set(subject_ids))
        batches = [
            Subject.objects.filter(pk__in=wanted[start : start + LINK_BATCH])
            for start in range(0, len(wanted), LINK_BATCH)
        ]
    present = AffectedSubject.objects.filter(incident=incident).values("subject_id")
    added = 0
    for batch in batches:
        candidates = batch.exclude(state=SubjectState.ERASED).exclude(pk__in=present)
        added += _links_add(incident, candidates, source=source, actor=actor, at=now, reason=reason)
    return added


# Ids per statement when a list of ids is given (a queryset goes whole, as a subquery).
LINK_BATCH = 10_000


def _links_add(
    incident: Incident,
    candidates: QuerySet[Subject],
    *,
    source: str,
    actor: User | None,
    at: datetime,
    reason: str,
) -> int:
    if connection.vendor == "postgresql":
        return affected_links_insert(
            incident, candidates, source=source, actor=actor, at=at, reason=reason
        )
    links = [
        AffectedSubject(
            incident=incident, subject_id=pk, source=source, added_at=at, added_by=actor
        )
        for pk in candidates.order_by("pk").values_list("pk", flat=True)
    ]
    if links:  # the demo's SQLite: simple-history's bulk helper
        bulk_create_with_history(
            links, AffectedSubject, batch_size=5000, default_user=actor,
            default_change_reason=reason, default_date=at,
        )  # fmt: skip
    return len(links)


@transaction.atomic
def incident_subject_remove(*, affected: AffectedSubject, actor: User | None, reason: str) -> None:
    """Take a subject off the affected list (added by mistake); the history keeps the step."""
    _refuse_if(edit_unavailable(affected.incident), "closed")
    delete_with_history(affected, actor=actor, reason=reason)


@dataclass
class ListMatch:
    """Subjects found for an uploaded list of e-mails, phones and IINs, and what was not."""

    subject_ids: set[int] = field(default_factory=set)
    values: int = 0
    not_found: int = 0
    not_understood: int = 0


_SEPARATORS = re.compile(r"[\r\n\t,;]+")  # not spaces: "+7 701 234 56 78" is one phone
_IIN = re.compile(r"\d{12}")


def subjects_match(text: str) -> ListMatch:
    """Find subjects by the e-mails, phones and IINs in `text` (one or more per line, or CSV).

    An e-mail matches case-insensitively, a phone in any usual writing (normalised to E.164),
    an IIN exactly. The values themselves are not kept: only the subjects found and the counts.
    """
    emails, phones, iins = set(), set(), set()
    match = ListMatch()
    for raw in _SEPARATORS.split(text.replace('"', " ")):
        token = raw.strip()
        if not token:
            continue
        match.values += 1
        if "@" in token:
            emails.add(token.lower())
        elif _IIN.fullmatch(token.replace(" ", "")):
            iins.add(token.replace(" ", ""))
        else:
            try:
                phones.add(normalise_phone(token))
            except ValidationError:
                match.not_understood += 1
    found: dict[str, set[str]] = {"email": set(), "phone": set(), "iin": set()}
    live = Subject.objects.exclude(state=SubjectState.ERASED)
    for kind, wanted, lookup in (
        ("email", emails, "email_lower__in"),
        ("phone", phones, "phone__in"),
        ("iin", iins, "iin__in"),
    ):
        values = sorted(wanted)
        for start in range(0, len(values), 5000):
            chunk = values[start : start + 5000]
            rows = live.annotate(email_lower=Lower("email")).filter(**{lookup: chunk})
            column = "email_lower" if kind == "email" else kind
            for pk, value in rows.values_list("pk", column):
                match.subject_ids.add(pk)
                found[kind].add(value)
    match.not_found = (
        len(emails - found["email"]) + len(phones - found["phone"]) + len(iins - found["iin"])
    )
    return match


@transaction.atomic
def incident_notify(
    *,
    incident: Incident,
    actor: User | None,
    notified_at: datetime,
    via: str,
    reference: str = "",
) -> Incident:
    """Record that the notice went to the authorised body: when, how, and its reference."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _refuse_if(notify_unavailable(incident), "notified")
    if notified_at > timezone.now():
        raise IncidentError({"notified_at": _("Record the notice after it was sent.")})
    if incident.detected_at and notified_at < incident.detected_at:
        raise IncidentError(
            {"notified_at": _("The notice can't have been sent before the breach was detected.")}
        )
    incident.state = IncidentState.NOTIFIED
    incident.notified_at = notified_at
    incident.notified_via = via
    incident.authority_reference = reference.strip()
    incident.notified_by = actor
    _save(incident, actor=actor, reason=reason_for(incident, _("Authorised body notified")))
    return incident


@transaction.atomic
def incident_close(*, incident: Incident, actor: User | None, note: str) -> Incident:
    """Close a notified incident, saying how it ended."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _refuse_if(close_unavailable(incident), "state")
    if not note.strip():
        raise IncidentError({"closing_note": _("Say how the incident ended.")})
    incident.state = IncidentState.CLOSED
    incident.closed_at = timezone.now()
    incident.closed_by = actor
    incident.closing_note = note.strip()
    _save(incident, actor=actor, reason=reason_for(incident, _("Incident closed")))
    return incident


@transaction.atomic
def incident_open_from_complaint(
    *,
    subject_request: SubjectRequest,
    actor: User | None,
    kind: str,
    description: str,
    detected_at: datetime | None = None,
) -> Incident:
    """A complaint that the processing is not safe becomes an incident, linked both ways.

    Detected when the complaint arrived (unless told otherwise); the complainant, when matched
    to a subject, is the first affected subject; the request's log names the incident. Nothing
    of the complaint's text is copied: the incident links to it.
    """
    _refuse_if(complaint_incident_unavailable(subject_request), "complaint")
    number = subject_request.pk
    incident = incident_open(
        actor=actor,
        reason=_("Opened from complaint request #%(number)d") % {"number": number},
        data={
            "detected_at": detected_at or subject_request.received_at,
            "detected_by": _("Complaint of a data subject (request #%(number)d)")
            % {"number": number},
            "kind": kind,
            "description": description,
        },
        complaint_request=subject_request,
    )
    if subject_request.subject_id is not None:
        incident_subjects_add(
            incident=incident,
            subject_ids=[subject_request.subject_id],
            source=AffectedSource.COMPLAINT,
            actor=actor,
        )
    action_record(
        subject_request,
        kind=ActionKind.UPDATED,
        actor=actor,
        note=_("Breach incident #%(number)d opened") % {"number": incident.pk},
    )
    return incident

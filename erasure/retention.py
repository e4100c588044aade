"""Retention: forget people whose every purpose has ended, and old requesters' details; flag
people processed without any legal basis.

The policy: data is destroyed or depersonalised when the purposes of processing are achieved.
A consent ends when it is withdrawn or its validity runs out; its purpose's retention period
then runs; when that has passed for every consent of a subject, nothing is kept by law, and no
request of theirs is open, the subject is erased through the same service as an erasure request.

Art. 18(3-1) of the Law: data processed without consent (and without another basis) is
destroyed. A legal basis is recorded per purpose: a consent row names its purpose, whose basis
is consent, a contract or the law (`Purpose.legal_basis`), and "kept by law" holds it. A written
agreement (agreement data) records a contract too, and an open request is answered because the
law says so. A subject with none of these is not kept for a while and then forgotten: they are
listed for the privacy officer at once (`subjects_without_legal_basis`), who erases them with one
action (`erase_without_legal_basis`) or records the basis that was missing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from common import personal_data
from common.blanking import blank_rows, holds_personal_values, object_ids
from consents.models import Consent, ConsentState
from erasure.services import ErasureError, subject_erase
from requests.models import RequestStatus, SubjectRequest
from subjects.models import AgreementData, Subject, SubjectState

CLOSED_REQUEST_STATES = (RequestStatus.COMPLETED, RequestStatus.REFUSED)


@dataclass(frozen=True)
class RetentionCandidate:
    subject_id: int
    reason: str


def _day(moment: datetime | date) -> date:
    return timezone.localtime(moment).date() if isinstance(moment, datetime) else moment


def retention_candidates(*, today: date | None = None) -> list[RetentionCandidate]:
    """Subjects due to be forgotten today, each with the reason."""
    today = today or timezone.localdate()
    running = Consent.objects.filter(subject=OuterRef("pk"), state=ConsentState.GIVEN).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    held = Consent.objects.filter(subject=OuterRef("pk"), legal_hold=True)
    open_request = SubjectRequest.objects.filter(subject=OuterRef("pk")).exclude(
        status__in=CLOSED_REQUEST_STATES
    )
    pool = Subject.objects.exclude(state=SubjectState.ERASED).filter(
        ~Exists(running), ~Exists(held), ~Exists(open_request)
    )
    # Latest end of retention per subject, over all its consents (ended ones only, by now).
    ends: dict[int, date] = {}
    consents = Consent.objects.filter(subject__in=pool).values_list(
        "subject_id", "withdrawn_at", "valid_until", "purpose__retention_days"
    )
    for subject_id, withdrawn_at, valid_until, retention_days in consents.iterator(2000):
        ended = _day(withdrawn_at) if withdrawn_at else valid_until
        until = ended + timedelta(days=retention_days or 0)  # type: ignore[operator]
        ends[subject_id] = max(until, ends.get(subject_id, until))  # type: ignore[assignment]
    found = [
        RetentionCandidate(subject_id, f"Every purpose ended; retention ran out on {until}")
        for subject_id, until in sorted(ends.items())
        if until < today
    ]
    return found


def subjects_without_legal_basis() -> QuerySet[Subject]:
    """Subjects processed with no consent and no other recorded legal basis (Art. 18(3-1)).

    Ended consents are not here: their end and retention are the retention job's.
    """
    any_consent = Consent.objects.filter(subject=OuterRef("pk"))
    agreement = AgreementData.objects.filter(subject=OuterRef("pk"))
    open_request = SubjectRequest.objects.filter(subject=OuterRef("pk")).exclude(
        status__in=CLOSED_REQUEST_STATES
    )
    return Subject.objects.exclude(state=SubjectState.ERASED).filter(
        ~Exists(any_consent), ~Exists(agreement), ~Exists(open_request)
    )


WITHOUT_BASIS_REASON = "Art. 18(3-1): processed without consent or another legal basis"


@dataclass
class UnfoundedErasure:
    erased: list[int]
    skipped: list[int]  # a basis was recorded meanwhile, or the erasure was refused


def erase_without_legal_basis(
    *, subjects: Iterable[Subject], actor: User | None, reason: str
) -> UnfoundedErasure:
    """Erase those of `subjects` that still have no legal basis, each through the erasure service
    in its own transaction; the others are left as they are and reported as skipped."""
    wanted = [subject.pk for subject in subjects]
    still = set(subjects_without_legal_basis().filter(pk__in=wanted).values_list("pk", flat=True))
    erased, skipped = [], [pk for pk in wanted if pk not in still]
    full_reason = f"{WITHOUT_BASIS_REASON}. {reason}".strip()[:255]
    for subject in Subject.objects.filter(pk__in=still).order_by("pk"):
        try:
            subject_erase(subject=subject, actor=actor, reason=full_reason)
        except ErasureError:
            skipped.append(subject.pk)
        else:
            erased.append(subject.pk)
    return UnfoundedErasure(erased=erased, skipped=sorted(skipped))


@dataclass
class RetentionReport:
    erased: list[int]
    refused: list[int]
    requests_blanked: int
    without_legal_basis: int  # flagged for the privacy officer, not erased by the job


def apply_retention(*, today: date | None = None) -> RetentionReport:
    """Erase every candidate (each in its own transaction) and forget old requesters' details."""
    erased, refused = [], []
    for candidate in retention_candidates(today=today):
        subject = Subject.objects.get(pk=candidate.subject_id)
        try:
            subject_erase(subject=subject, actor=None, reason=f"Retention: {candidate.reason}")
        except ErasureError:
            refused.append(candidate.subject_id)
        else:
            erased.append(candidate.subject_id)
    blanked = requests_forget(today=today)
    return RetentionReport(
        erased=erased,
        refused=refused,
        requests_blanked=blanked,
        without_legal_basis=subjects_without_legal_basis().count(),
    )


def expired_requests(*, today: date | None = None) -> QuerySet[SubjectRequest]:
    """Closed requests past their retention whose requester details are not forgotten yet."""
    today = today or timezone.localdate()
    last_day = today - timedelta(days=settings.REQUEST_RETENTION_DAYS)
    cutoff = timezone.make_aware(datetime.combine(last_day, datetime.min.time()))
    closed = SubjectRequest.objects.filter(status__in=CLOSED_REQUEST_STATES, updated_at__lt=cutoff)
    return closed.filter(holds_personal_values(SubjectRequest))


def requests_forget(*, today: date | None = None) -> int:
    """Blank the requester's details of requests closed longer ago than the retention period.

    The request itself stays (kind, dates, status, staff): the answer was given, on time or not.
    Models that hang off a request (its raw messages, attachments) are found through the registry.
    """
    ids = set(expired_requests(today=today).values_list("pk", flat=True))
    if not ids:
        return 0
    touched = blank_rows(SubjectRequest, ids).rows
    for classification in personal_data.classified_models():
        model = classification.model
        for relation in model._meta.concrete_fields:
            if relation.is_relation and relation.related_model is SubjectRequest:
                blank_rows(model, object_ids(model, relation.name, ids))
    return touched

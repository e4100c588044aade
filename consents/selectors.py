"""Reads over consents: what is in force, who consented under what, who may be mailed."""

import re
from collections.abc import Iterator
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db.models import Exists, F, FloatField, Func, OuterRef, Q, QuerySet
from django.utils import timezone

from common.month_counts import counts_per_month
from consents.models import (
    Consent,
    ConsentState,
    DocumentKind,
    PolicyVersion,
    Purpose,
    SuppressionEntry,
    SuppressionKind,
)
from consents.suppression import stored_value_digester, suppressed_digests, suppression_digest
from subjects.models import Subject, SubjectState


def policy_version_in_force(
    *, kind: str = DocumentKind.PRIVACY_POLICY, at: datetime | None = None
) -> PolicyVersion | None:
    """The latest version of the document published at or before `at` (now by default)."""
    return (
        PolicyVersion.objects.filter(kind=kind, published_at__lte=at or timezone.now())
        .order_by("-published_at", "-pk")
        .first()
    )


def live_consents(*, subject: Subject) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(subject=subject, state=ConsentState.GIVEN)
        .select_related("purpose", "policy_version")
        .prefetch_related("purpose__processors")
        .order_by("purpose__sort_order", "purpose__code")
    )


def subjects_with_outdated_consents(
    *, kind: str = DocumentKind.PRIVACY_POLICY
) -> QuerySet[Subject]:
    """Subjects with a live consent given under an older version than the one in force (or none).

    The list for a re-consent campaign after the policy changed.
    """
    current = policy_version_in_force(kind=kind)
    if current is None:
        return Subject.objects.none()
    outdated = Consent.objects.filter(subject=OuterRef("pk"), state=ConsentState.GIVEN).filter(
        Q(policy_version__isnull=True)
        | Q(policy_version__kind=kind, policy_version__published_at__lt=current.published_at)
    )
    return Subject.objects.filter(Exists(outdated)).exclude(state=SubjectState.ERASED)


MAILING_FIELDS = ("email", "last_name", "first_name", "patronymic", "preferred_language")


class _Epoch(Func):
    """Seconds since 1970 as a float: a million are read without building a datetime each."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)::double precision"
    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite keeps datetimes as UTC text; julianday counts days from noon, 4714 BC, in a
        # double precise to tens of microseconds here, so the milliseconds are kept.
        template = "ROUND((julianday(%(expressions)s) - 2440587.5) * 86400.0, 3)"
        return self.as_sql(compiler, connection, template=template, **extra)


def mailing_list_batches(*, purpose: Purpose, size: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
    """(id, e-mail, last name, first name, patronymic, language) of each subject who may be
    e-mailed now for `purpose`, in id order, `size` rows at a time.

    A live consent for the purpose, an e-mail address, not blocked or erased, and neither the
    e-mail nor the phone suppressed after that consent was given: a person who left and later
    consented again, of their own accord, may be mailed; an old list never brings anyone back,
    because importers refuse suppressed people before any consent is written.

    One join read in batches (a subject holds at most one live consent per purpose), as plain
    tuples, with the consent's time as a number rather than a parsed date: a list of a million
    people streams at the pace of the hashing.
    """
    live = (
        Consent.objects.filter(
            purpose=purpose,
            state=ConsentState.GIVEN,
            subject__state=SubjectState.ACTIVE,
            subject__email__isnull=False,
        )
        .annotate(consented=_Epoch(F("given_at")))
        .order_by("subject_id")
        .values_list(
            "subject_id", "consented", "subject__phone", *(f"subject__{f}" for f in MAILING_FIELDS)
        )
    )
    # The list holds keyed hashes, so the check happens here rather than in SQL.
    emails = suppressed_digests(SuppressionKind.EMAIL)
    phones = suppressed_digests(SuppressionKind.PHONE)
    email_digest = stored_value_digester(SuppressionKind.EMAIL)
    phone_digest = stored_value_digester(SuppressionKind.PHONE)
    rows = live.iterator(chunk_size=size)  # a server-side cursor on PostgreSQL
    while chunk := list(islice(rows, size)):
        batch = []
        for subject_id, consented_at, phone, *values in chunk:
            email_at = emails.get(email_digest(values[0]), 0.0) if emails else 0.0
            phone_at = phones.get(phone_digest(phone), 0.0) if phone and phones else 0.0
            if email_at < consented_at and phone_at < consented_at:
                batch.append((subject_id, *values))
        if batch:
            yield batch


def mailing_list_values(*, purpose: Purpose) -> Iterator[tuple[Any, ...]]:
    """The rows of mailing_list_batches one at a time."""
    for batch in mailing_list_batches(purpose=purpose):
        yield from batch


def mailing_list(*, purpose: Purpose) -> Iterator[Subject]:
    """The subjects of mailing_list_values, as (partial) Subject instances."""
    for subject_id, *values in mailing_list_values(purpose=purpose):
        yield Subject(pk=subject_id, **dict(zip(MAILING_FIELDS, values, strict=True)))


_DIGEST = re.compile(r"[0-9a-f]{64}")


def suppression_search(
    queryset: QuerySet[SuppressionEntry], term: str
) -> QuerySet[SuppressionEntry]:
    """The entries of `term` typed as an e-mail or a phone (hashed as the list stores them, so
    the lookup is one probe of its unique index), or as a digest copied from the list."""
    text = term.strip()
    if not text:
        return queryset
    if _DIGEST.fullmatch(text.lower()):
        return queryset.filter(digest=text.lower())
    wanted = Q(pk__in=[])
    for kind in SuppressionKind:
        digest = suppression_digest(kind=kind, value=text)
        if digest:
            wanted |= Q(kind=kind, digest=digest)
    return queryset.filter(wanted)


def consents_per_month(*, since: date) -> dict[str, dict[date, int]]:
    """Consents given and consents withdrawn in each month from `since` (two grouped queries)."""
    return {
        "given": counts_per_month(Consent.objects.all(), "given_at", since=since),
        "withdrawn": counts_per_month(Consent.objects.all(), "withdrawn_at", since=since),
    }

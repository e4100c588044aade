"""The row-by-row writer, for SQLite (the demo) where admin uploads are small.

The rules of the PostgreSQL writer, applied person by person with the ORM: a person is judged
by their first valid row; later rows of the same e-mail fill only empty fields, never with a
suppressed phone; each subject is validated by its model (`full_clean`) and saved with its
history row; consents are given and withdrawn by the consent services, as everywhere else.
The rows of one file are held in memory, fine at the admin's limit.
"""

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db.models.functions import Lower

from common.history import save_valid_with_history, save_with_history
from consents.models import (
    Consent,
    ConsentMethod,
    ConsentState,
    PolicyVersion,
    SuppressionEntry,
    WithdrawalChannel,
)
from consents.services import consent_give, consent_withdraw
from imports.services.rows import FILLABLE, StageRow, evidence_text
from imports.services.statuses import keeps_out, refusal_spares
from imports.services.writing import ImportConflict, Job, Outcome, payload_of
from subjects.models import Source, Subject, SubjectState

T = TypeVar("T")
QUERY_CHUNK = 500  # SQLite limits the parameters of one query


def preparer(job: Job) -> Callable[[StageRow], StageRow]:
    return lambda row: row


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), QUERY_CHUNK):
        yield items[start : start + QUERY_CHUNK]


class OrmWriter:
    def __init__(self, job: Job) -> None:
        self.job = job
        self.rows = 0
        self.people: dict[str, list[StageRow]] = {}  # e-mail -> its rows in file order
        self._versions: dict[int, PolicyVersion] = {}

    def __enter__(self) -> "OrmWriter":
        return self

    def __exit__(self, *error: object) -> None:
        return None

    def add_chunk(self, rows: list[StageRow]) -> None:
        self.rows += len(rows)
        for row in rows:
            self.people.setdefault(row.email, []).append(row)

    def _lookups(self) -> tuple[dict[str, Subject], dict[int, list[Consent]], set[str]]:
        subjects: dict[str, Subject] = {}
        for chunk in _chunks(list(self.people)):
            for subject in Subject.objects.annotate(key=Lower("email")).filter(key__in=chunk):
                subjects[subject.key] = subject
        consents: dict[int, list[Consent]] = {}
        for chunk in _chunks([subject.pk for subject in subjects.values()]):  # type: ignore[assignment]
            for consent in Consent.objects.filter(purpose=self.job.purpose, subject_id__in=chunk):
                consents.setdefault(consent.subject_id, []).append(consent)
        digests = {
            d
            for rows in self.people.values()
            for r in rows
            for d in (r.email_digest, r.phone_digest)
            if d
        }
        suppressed: set[str] = set()
        for chunk in _chunks(sorted(digests)):
            entries = SuppressionEntry.objects.filter(digest__in=chunk)
            suppressed |= set(entries.values_list("digest", flat=True))
        return subjects, consents, suppressed

    def finish(self) -> Outcome:
        outcome = Outcome(duplicates=self.rows - len(self.people))
        subjects, consents, suppressed = self._lookups()
        for rows in sorted(self.people.values(), key=lambda rows: rows[0].line):
            person = _merged(rows, suppressed)
            subject = subjects.get(person.email)
            theirs = consents.get(subject.pk, []) if subject is not None else []
            if self.job.subscribing:
                self._subscribe(outcome, person, subject, theirs, suppressed)
            else:
                self._unsubscribe(outcome, rows, subject, theirs)
        return outcome

    def _subscribe(
        self,
        outcome: Outcome,
        person: StageRow,
        subject: Subject | None,
        consents: list[Consent],
        suppressed: set[str],
    ) -> None:
        live = any(c.state == ConsentState.GIVEN for c in consents)
        if keeps_out(
            email_listed=person.email_digest in suppressed,
            phone_listed=person.phone_digest in suppressed,
            live=live,
            withdrawn=any(c.state == ConsentState.WITHDRAWN for c in consents),
        ):
            outcome.suppressed += 1
            return
        if subject is not None and subject.state != SubjectState.ACTIVE:
            raise ImportConflict
        job = self.job
        if subject is None:
            subject = Subject(
                email=person.email,
                source=Source.IMPORT,
                source_detail=(job.source_detail + (f": {person.source}" if person.source else ""))[
                    :500
                ],
                **{name: getattr(person, name) for name in FILLABLE},
            )
            if person.preferred_language:
                subject.preferred_language = person.preferred_language
            save_valid_with_history(subject, actor=job.actor, reason=job.reason)
            outcome.created += 1
        else:
            fills = [n for n in FILLABLE if getattr(person, n) and not getattr(subject, n)]
            if live and not fills:
                outcome.unchanged += 1
                return
            for name in fills:
                setattr(subject, name, getattr(person, name))
            if fills:
                save_valid_with_history(subject, actor=job.actor, reason=job.reason)
            outcome.updated += 1
            if live:
                return
        consent_give(
            subject=subject,
            purpose=job.purpose,
            method=ConsentMethod.IMPORT,
            actor=job.actor,
            reason=job.reason,
            given_at=person.confirm_time or person.optin_time or job.now,
            evidence=evidence_text(job.evidence, person),
            evidence_payload=payload_of(job, person),
            policy_version=self._policy_version(person.policy_version_id),
            data_categories=job.purpose.data_categories,
            under_our_policy=False,  # only the file's policy column names one of ours
        )

    def _policy_version(self, pk: int | None) -> PolicyVersion | None:
        if pk is None:
            return None
        if pk not in self._versions:
            self._versions[pk] = PolicyVersion.objects.get(pk=pk)
        return self._versions[pk]

    def _unsubscribe(
        self,
        outcome: Outcome,
        rows: list[StageRow],
        subject: Subject | None,
        consents: list[Consent],
    ) -> None:
        job, first = self.job, rows[0]
        live = [c for c in consents if c.state == ConsentState.GIVEN]
        if any(refusal_spares(live_given_at=c.given_at, refused_at=first.event_at) for c in live):
            outcome.unchanged += 1  # consented again after leaving: the old list does not undo it
            return
        outcome.suppressed += 1
        wanted = [("email", first.email_digest)]
        wanted += sorted({("phone", r.phone_digest) for r in rows if r.phone_digest})
        for kind, digest in wanted:
            if SuppressionEntry.objects.filter(kind=kind, digest=digest).exists():
                continue
            entry = SuppressionEntry(kind=kind, digest=digest, reason=job.suppression_reason)
            save_with_history(entry, actor=job.actor, reason=job.reason)
            outcome.suppression_entries += 1
        for consent in live:  # one live consent per subject and purpose
            outcome.withdrawn += len(
                consent_withdraw(
                    subject=subject,  # type: ignore[arg-type]
                    purposes=[job.purpose],
                    channel=WithdrawalChannel(job.withdrawal_channel),
                    actor=job.actor,
                    reason=job.reason,
                    withdrawn_at=max(first.event_at or job.now, consent.given_at),
                )
            )


def _merged(rows: list[StageRow], suppressed: set[str]) -> StageRow:
    """The first row, its empty fields filled from later rows (never with a suppressed phone)."""
    person = rows[0]
    for later in rows[1:]:
        fills = {
            name: getattr(later, name)
            for name in FILLABLE
            if getattr(later, name) and not getattr(person, name)
        }
        if "phone" in fills:
            if later.phone_digest in suppressed:
                del fills["phone"]
            else:
                fills["phone_digest"] = later.phone_digest
        if fills:
            person = person._replace(**fills)
    return person


Writer = OrmWriter

"""Reads over processors: who is active, and who receives a given subject's data."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from consents.models import Consent, ConsentState, Purpose
from processors.models import Processor
from subjects.models import Subject


def active_processors(*, on: date | None = None) -> QuerySet[Processor]:
    """Processors whose engagement has not ended: no end date, or an end date today or later.

    The end date is the last day the processor may hold the data, so it counts as active.
    """
    on = on or timezone.localdate()
    return Processor.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=on))


@dataclass(frozen=True)
class Recipient:
    """One processor that receives a subject's data, and on which of the subject's consents."""

    processor: Processor
    purposes: tuple[Purpose, ...]
    cross_border: bool
    covered_by_consent: bool

    @property
    def uncovered_cross_border(self) -> bool:
        return self.cross_border and not self.covered_by_consent


@dataclass
class _Found:
    processor: Processor
    purposes: list[Purpose] = field(default_factory=list)
    covered: bool = False


def _consent_covers(consent: Consent, processor: Processor) -> bool:
    if not consent.cross_border_transfer:
        return False
    countries = {country.code for country in consent.cross_border_countries}  # type: ignore[attr-defined]
    return not countries or processor.country.code in countries  # type: ignore[attr-defined]


def subject_recipients(*, subject: Subject) -> list[Recipient]:
    """The active processors that receive the subject's data through the subject's live consents.

    A processor receives the data for each purpose it serves that the subject has a live consent
    for. Its transfer is cross-border when it does not keep the data in Kazakhstan (Art. 12(2)),
    and such a transfer is covered (Art. 16) when a live consent of the subject for one of those
    purposes allows cross-border transfer and either lists the processor's country or lists no
    country at all: a consent that names no countries allows transfer to any, one that names
    some allows only those. Two queries, however many consents and processors there are.
    """
    consents = (
        Consent.objects.filter(subject=subject, state=ConsentState.GIVEN)
        .select_related("purpose")
        .prefetch_related(
            Prefetch(
                "purpose__processors",
                queryset=active_processors().order_by("legal_name", "pk"),
                to_attr="active_processors",
            )
        )
        .order_by("purpose__sort_order", "purpose__code")
    )
    found: dict[int, _Found] = {}
    for consent in consents:
        for processor in consent.purpose.active_processors:  # type: ignore[attr-defined]
            entry = found.setdefault(processor.pk, _Found(processor=processor))
            entry.purposes.append(consent.purpose)
            entry.covered = entry.covered or _consent_covers(consent, processor)
    recipients = [
        Recipient(
            processor=entry.processor,
            purposes=tuple(entry.purposes),
            cross_border=entry.processor.is_cross_border,
            covered_by_consent=entry.covered,
        )
        for entry in found.values()
    ]
    return sorted(recipients, key=lambda r: (r.processor.legal_name, r.processor.pk))

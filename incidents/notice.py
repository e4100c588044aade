"""The notice of a breach to the authorised body, drawn up from the register in kk or ru (or en).

What it holds follows Law 94-V Art. 25(2)(8) and the rules of notification (Order No. 481/НҚ of
9 August 2024): the operator (name, BIN, address), the person responsible for organising the
processing and their contacts, when the breach was detected, what happened, the categories of
data, how many subjects, the measures taken to remove the breach, and, attached, the list of
the subjects to be notified with their last name, first name, patronymic, IIN and mobile phone.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone, translation

from common.i18n import localized
from common.personal_data import DataCategory
from incidents.models import Incident
from incidents.selectors import affected_count, listed_count
from organisation.selectors import operator_profile_get

NOTICE_LANGUAGES = ("kk", "ru", "en")


@dataclass
class Notice:
    language: str
    number: int
    drawn_up_at: str
    authority_name: str
    authority_address: str
    operator_name: str
    operator_bin: str
    operator_address: str
    responsible_person: str
    responsible_contacts: str
    detected_at: str
    detected_by: str
    kind: str
    description: str
    systems: str
    processors: list[str]
    categories: list[str]
    subjects_count: int
    listed_count: int
    risk: str
    measures: list[tuple[str, str]] = field(default_factory=list)


def _when(value: datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def notice_language(language: str) -> str:
    return language if language in NOTICE_LANGUAGES else settings.LANGUAGE_CODE


def incident_notice(incident: Incident, *, language: str) -> Notice:
    """The notice's content in `language`: texts of the register, labels in that language."""
    language = notice_language(language)
    operator = operator_profile_get()
    labels = dict(DataCategory.choices)
    with translation.override(language):
        risk = incident.get_risk_level_display() if incident.risk_level else ""
        if incident.risk_assessment:
            risk = f"{risk}. {incident.risk_assessment}" if risk else incident.risk_assessment
        return Notice(
            language=language,
            number=incident.pk,
            drawn_up_at=_when(timezone.now()),
            authority_name=localized(operator, "authority_name", language) if operator else "",
            authority_address=(
                localized(operator, "authority_address", language) if operator else ""
            ),
            operator_name=localized(operator, "name", language) if operator else "",
            operator_bin=operator.bin if operator else "",
            operator_address=localized(operator, "address", language) if operator else "",
            responsible_person=incident.responsible_person,
            responsible_contacts=incident.responsible_person_contacts,
            detected_at=_when(incident.detected_at),
            detected_by=incident.detected_by,
            kind=incident.get_kind_display(),
            description=incident.description,
            systems=incident.systems,
            processors=[str(p) for p in incident.processors.all()],
            categories=[str(labels.get(c, c)) for c in incident.data_categories or []],
            subjects_count=affected_count(incident),
            listed_count=listed_count(incident),
            risk=risk,
            measures=[(_when(m.taken_at), m.description) for m in incident.measures.all()],
        )

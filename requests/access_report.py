"""The access report: everything the operator holds on a subject, in the subject's language.

The personal data comes from the personal-data registry (`common.personal_data`): for every model
that names a path to the subject, the subject's rows and their personal fields with the category
of each. No list of models or fields is kept here, so a new app's data appears in the report the
day it is classified. Around it: where the data came from, the consents with the policy version
and their Art. 8(4) content, the processors and countries that receive the data, how long each
purpose keeps it, and the subject's requests. One query per classified model, and a handful more.
"""

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from common.fields import field_label
from common.i18n import localized
from common.personal_data import DataCategory, classified_models
from consents.models import Consent, ConsentState
from organisation.selectors import operator_profile_get
from processors.models import Disclosure, TransferNotice
from processors.selectors import subject_recipients
from subjects.models import Subject


@dataclass
class ReportField:
    field: str
    category: str
    value: str


@dataclass
class ReportRecord:
    kind: str
    fields: list[ReportField]


@dataclass
class AccessReport:
    language: str
    generated_at: str
    operator: dict[str, str]
    subject_id: int
    personal_data: list[ReportRecord] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[dict[str, Any]] = field(default_factory=list)
    disclosures: list[dict[str, str]] = field(default_factory=list)
    transfer_notices: list[dict[str, str]] = field(default_factory=list)
    retention: list[dict[str, str]] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)


def _when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def _display(instance: models.Model, name: str, category: str) -> str:
    """A field's value as the subject should read it."""
    model_field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value in (None, "", [], {}):
        return ""
    if category == DataCategory.AGREEMENT:
        # Passport data and payment requisites never go by e-mail: said to be held, shown in person.
        return _("held (encrypted); shown to you in person on request")
    if isinstance(value, FieldFile):
        # The storage's file name is ours, not the person's data: say what is held.
        return _("a file (a copy is given to you on request)")
    if getattr(model_field, "choices", None) and not isinstance(value, list):
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, date | datetime):
        return _when(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(getattr(item, "name", item)) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bytes | memoryview):  # a message or form body as it arrived
        return bytes(value).decode("utf-8", errors="replace")
    return str(getattr(value, "name", value))


# Staff's working notes on a request (a step's note, why the clock was paused): the operator's
# own handling, not data given about the person; the report lists the requests and their
# outcome, and says nothing internal.
INTERNAL_NOTES = {"requests.requestaction", "requests.requestpause"}
# The search's copy of the subject's name, e-mail and phone (subjects.SubjectSearch): the values
# the subject's own record shows, upper-cased for an index; listed once, there.
COPIES = {"subjects.subjectsearch"}


def _personal_data(subject: Subject) -> list[ReportRecord]:
    labels = dict(DataCategory.choices)
    records = []
    for classification in classified_models():
        path = classification.subject_path
        if path is None or not classification.personal:
            continue
        model = classification.model
        if model._meta.label_lower in INTERNAL_NOTES | COPIES:
            continue
        rows = model._default_manager.filter(
            **({"pk": subject.pk} if path == "" else {path: subject})
        )
        for row in rows.order_by("pk"):
            fields = []
            for name, category in classification.personal.items():
                shown = _display(row, name, category)
                if shown:
                    verbose = capfirst(field_label(model, name))
                    fields.append(ReportField(verbose, str(labels[category]), shown))
            if fields:
                title = f"{capfirst(str(model._meta.verbose_name))} #{row.pk}"
                records.append(ReportRecord(title, fields))
    return records


def _consent(consent: Consent, labels: Mapping[str, object]) -> dict[str, Any]:
    version = consent.policy_version
    return {
        "purpose": localized(consent.purpose, "name"),
        "state": str(consent.get_state_display()),
        "given_at": _when(consent.given_at),
        "method": str(consent.get_method_display()),
        "policy_version": (
            f"{version.get_kind_display()} {version.version_label} ({_when(version.published_at)})"
            if version
            else ""
        ),
        "valid_until": _when(consent.valid_until)
        or _("until the purpose of processing is achieved"),
        "data_categories": [str(labels.get(c, c)) for c in consent.data_categories],
        "third_party_transfer": consent.third_party_transfer,
        "notify_of_transfer": consent.notify_of_transfer,
        "cross_border_transfer": consent.cross_border_transfer,
        "cross_border_countries": [c.name for c in consent.cross_border_countries],  # type: ignore[attr-defined]
        "public_sources": consent.public_sources,
        "withdrawn_at": _when(consent.withdrawn_at),
        "withdrawal_channel": str(consent.get_withdrawal_channel_display() or ""),
        "representative": consent.representative_shown(),
    }


def _retention(consents: list[Consent]) -> list[dict[str, str]]:
    seen, rows = set(), []
    for consent in consents:
        purpose = consent.purpose
        if purpose.pk in seen:
            continue
        seen.add(purpose.pk)
        if purpose.retention_days is None:
            rule = _("destroyed or depersonalised as soon as the purpose is achieved")
        else:
            rule = _(
                "kept %(days)s days after the purpose is achieved, as %(law)s requires, then "
                "destroyed"
            ) % {"days": purpose.retention_days, "law": purpose.retention_law}
        rows.append({"purpose": localized(purpose, "name"), "retention": rule})
    return rows


def access_report(*, subject: Subject, language: str | None = None) -> AccessReport:
    """Everything held on `subject`, its texts in `language` (the subject's own by default)."""
    language = language or subject.preferred_language
    with translation.override(language):
        operator = operator_profile_get()
        labels = dict(DataCategory.choices)
        consents = list(
            Consent.objects.filter(subject=subject)
            .select_related("purpose", "policy_version")
            .order_by("given_at", "pk")
        )
        report = AccessReport(
            language=language,
            generated_at=_when(timezone.now()),
            operator={
                "name": localized(operator, "name", language) if operator else "",
                "bin": operator.bin if operator else "",
                "address": localized(operator, "address", language) if operator else "",
                "privacy_email": operator.privacy_email if operator else "",
            },
            subject_id=subject.pk,
            personal_data=_personal_data(subject),
        )
        source = str(subject.get_source_display())
        report.sources = [f"{source}: {subject.source_detail}" if subject.source_detail else source]
        report.sources += [
            f"{localized(c.purpose, 'name')}: {c.get_method_display()}"
            + (f" ({c.evidence})" if c.evidence else "")
            for c in consents
        ]
        report.consents = [_consent(c, labels) for c in consents]
        report.recipients = [
            {
                "processor": r.processor.legal_name,
                "country": r.processor.country_name,
                "data_kept_abroad": r.cross_border,
                "transfer_covered_by_consent": r.covered_by_consent,
                "purposes": [localized(p, "name") for p in r.purposes],
            }
            for r in subject_recipients(subject=subject)
        ]
        report.disclosures = [
            {
                "recipient": d.recipient,
                "disclosed_at": _when(d.disclosed_at),
                "legal_basis": d.legal_basis,
                "data_categories": ", ".join(str(labels.get(c, c)) for c in d.data_categories),
            }
            for d in Disclosure.objects.filter(subjects=subject).order_by("disclosed_at", "pk")
        ]
        report.transfer_notices = [
            {
                "recipient": n.recipient,
                "transferred_on": _when(n.transferred_on),
                "due_date": _when(n.due_date),
                "state": str(n.get_state_display()),
                "sent_at": _when(n.sent_at),
            }
            for n in TransferNotice.objects.filter(subject=subject).order_by("transferred_on", "pk")
        ]
        report.retention = _retention([c for c in consents if c.state == ConsentState.GIVEN])
        report.requests = [
            {
                "number": str(r.pk),
                "kind": str(r.get_kind_display()),
                "received_at": _when(r.received_at),
                "status": str(r.get_status_display()),
                "answered_at": _when(r.answered_at),
                "representative": r.representative_shown(),
            }
            for r in subject.requests.order_by("received_at", "pk")
        ]
    return report

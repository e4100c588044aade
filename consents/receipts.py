"""The consent receipt: exactly what a subject consented to, in the subject's language."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.jobs import mail_enqueue
from common.personal_data import DataCategory
from consents.models import Consent
from consents.selectors import live_consents
from consents.unsubscribe import unsubscribe_url
from organisation.models import OperatorProfile
from organisation.selectors import operator_profile_get
from subjects.models import Subject


@dataclass
class ReceiptLine:
    consent: Consent
    categories: list[str]
    # Reached through the purpose's reverse relation: consents never imports processors.
    recipients: list[tuple[str, str, bool]] = field(default_factory=list)  # name, country, abroad
    unsubscribe_url: str = ""


@dataclass
class Receipt:
    subject: Subject
    operator: OperatorProfile | None
    lines: list[ReceiptLine]
    language: str


def consent_receipt(*, subject: Subject) -> Receipt:
    """The receipt of the subject's live consents; texts are resolved in the subject's language."""
    language = subject.preferred_language
    labels = dict(DataCategory.choices)
    lines = []
    with translation.override(language):
        for consent in live_consents(subject=subject):
            lines.append(
                ReceiptLine(
                    consent=consent,
                    categories=[str(labels.get(c, c)) for c in consent.data_categories],
                    recipients=[
                        (p.legal_name, p.country.name, p.is_cross_border)  # type: ignore[attr-defined]
                        for p in consent.purpose.processors.all()
                    ],
                    unsubscribe_url=(
                        unsubscribe_url(subject=subject, purpose=consent.purpose)
                        if consent.purpose.is_marketing
                        else ""
                    ),
                )
            )
    return Receipt(subject=subject, operator=operator_profile_get(), lines=lines, language=language)


def consent_receipt_send(*, subject: Subject) -> None:
    """E-mail the receipt to the subject after the surrounding transaction commits."""
    if not subject.email:
        raise DomainError(
            _("The subject has no e-mail address to send the receipt to."), code="no_email"
        )
    receipt = consent_receipt(subject=subject)
    with translation.override(receipt.language):
        body = render_to_string("consents/receipt_email.txt", {"receipt": receipt})
        subject_line = _("What you consented to")
    operator = receipt.operator
    sender = operator.privacy_email if operator else settings.DEFAULT_FROM_EMAIL
    # Enqueued in the caller's transaction; a worker sends it, with retries.
    mail_enqueue(EmailMessage(subject_line, body, sender, [subject.email or ""]))


def consent_receipts_send(*, consents: Iterable[Consent]) -> list[Subject]:
    """E-mail one receipt to each subject of `consents` who has an address; returns those."""
    subjects = {consent.subject for consent in consents}
    sent = [subject for subject in subjects if subject.email]
    for subject in sent:
        consent_receipt_send(subject=subject)
    return sent

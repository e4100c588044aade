"""Applying a stored Tilda submission to the registers, and what staff do with submissions.

Applying goes through the subjects and consents services, like every other path that writes a
person, and never loses the submission: what can't be applied stays, marked, with the reason.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from common.errors import DomainError
from common.fields import model_field
from common.history import save_valid_with_history, save_with_history
from common.phones import normalise_phone
from consents.models import Consent, ConsentMethod, ConsentState, SuppressionReason
from consents.services import consent_give
from consents.suppression import suppression_entries, suppression_lift
from imports.services.columns import split_full_name
from subjects import services as subject_services
from subjects.models import Source, Subject, SubjectState
from webforms.models import SubmissionState, TildaForm, TildaSubmission
from webforms.tilda import REFERRER_FIELDS, decoded_fields, is_ticked

# Stored as written, shown in the reader's language (common.history_display.readable_reason).
NO_MAPPING = gettext_noop("No mapping for the form")

logger = logging.getLogger(__name__)


class HoldReason:
    """Codes stored in `state_reason` when a submission waits for staff (labels: webforms.admin)."""

    NO_CONTACT = "no_contact"
    ERASED = "erased"
    BLOCKED = "blocked"
    NO_CONSENT_TEXT = "no_consent_text"


@dataclass
class _Contact:
    values: dict[str, str] = field(default_factory=dict)
    email: str = ""
    phone: str = ""


def _contact(form: TildaForm, fields: dict[str, str]) -> _Contact:
    def value(name: str) -> str:
        return fields.get(name, "").strip() if name else ""

    contact = _Contact()
    last, first, patronymic = split_full_name(value(form.name_field), surname_first=False)
    contact.email = value(form.email_field).lower()
    try:
        contact.phone = normalise_phone(value(form.phone_field))
    except ValidationError:
        contact.phone = ""  # not a phone number: the rest of the form still counts
    candidates = {
        "last_name": last, "first_name": first, "patronymic": patronymic,
        "email": contact.email, "phone": contact.phone,
        "city": value(form.city_field), "organisation": value(form.organisation_field),
    }  # fmt: skip
    for name, text in candidates.items():
        limit = model_field(Subject, name).max_length or 254
        if text:
            contact.values[name] = text[:limit]
    return contact


def _default_contact(fields: dict[str, str]) -> _Contact:
    """E-mail and phone under Tilda's default names (Email, Phone), whatever their case."""
    by_name = {name.casefold(): value.strip() for name, value in fields.items()}
    contact = _Contact(email=by_name.get("email", "").lower())
    try:
        contact.phone = normalise_phone(by_name.get("phone", ""))
    except ValidationError:
        contact.phone = ""
    return contact


def _find_subject(contact: _Contact) -> Subject | None:
    if contact.email:
        found = Subject.objects.filter(email__iexact=contact.email).first()
        if found is not None:
            return found
    if contact.phone:
        return Subject.objects.filter(phone=contact.phone).order_by("pk").first()
    return None


def _history_reason(submission: TildaSubmission, form: TildaForm) -> str:
    name = submission_field(submission, "formname") or form.name_en or form.name_ru
    return f"Tilda form “{name}” ({form.formid}), submission #{submission.pk} ({submission.tranid})"


def submission_field(submission: TildaSubmission, name: str) -> str:
    return decoded_fields(submission.body).get(name, "")


def _evidence(
    *, submission: TildaSubmission, form: TildaForm, fields: dict[str, str], box_field: str,
    renewed: list[str],
) -> tuple[str, dict]:  # fmt: skip
    version = form.policy_version
    payload = {
        "source": "tilda_webhook",
        "formid": form.formid,
        "formname": fields.get("formname", ""),
        "tranid": submission.tranid,
        "submission": submission.pk,
        "checkbox": {"field": box_field, "value": fields.get(box_field, "")},
        "received_at": submission.received_at.isoformat(),
        "consent_text": {"id": version.pk, "version": version.version_label} if version else None,
        "utm": {k: v for k, v in fields.items() if k.lower().startswith("utm_")},
        "referrer": {k: v for k, v in fields.items() if k.lower() in REFERRER_FIELDS},
    }
    if renewed:
        payload["renews_after_suppression"] = renewed
    text = (
        f"Ticked “{box_field}” on Tilda form “{payload['formname']}” ({form.formid}), "
        f"submission {submission.tranid}, received {payload['received_at']}; "
        f"consent text {version.version_label if version else '-'}."
    )
    if renewed:
        text += " A new consent given after the person had left the mailing list."
    return text, payload


def _mark(
    submission: TildaSubmission,
    state: str,
    reason: str,
    *,
    note: str,
    actor: User | None = None,
) -> TildaSubmission:
    submission.state = state
    submission.state_reason = reason
    submission.processed_at = timezone.now() if state == SubmissionState.PROCESSED else None
    save_with_history(submission, actor=actor, reason=note)
    return submission


def _apply(submission: TildaSubmission, actor: User | None) -> TildaSubmission:
    form = (
        TildaForm.objects.select_related("policy_version")
        .prefetch_related("boxes__purpose")
        .filter(formid=submission.formid)
        .first()
    )
    if form is None:
        # Nothing is applied without a mapping, but a person already in the registers is
        # linked by Tilda's default field names, so that erasing them reaches this body too.
        submission.subject = _find_subject(_default_contact(decoded_fields(submission.body)))
        return _mark(
            submission,
            SubmissionState.NEEDS_MAPPING,
            "",
            note=NO_MAPPING,
            actor=actor,
        )
    submission.form = form
    fields = decoded_fields(submission.body)
    contact = _contact(form, fields)
    if not (contact.email or contact.phone):
        return _mark(
            submission, SubmissionState.HELD, HoldReason.NO_CONTACT, note="Held", actor=actor
        )
    entries = suppression_entries(email=contact.email, phone=contact.phone)
    if any(entry.reason == SuppressionReason.ERASED for entry in entries):
        return _mark(submission, SubmissionState.HELD, HoldReason.ERASED, note="Held", actor=actor)
    subject = _find_subject(contact)
    if subject is not None and subject.state != SubjectState.ACTIVE:
        submission.subject = subject
        code = HoldReason.ERASED if subject.state == SubjectState.ERASED else HoldReason.BLOCKED
        return _mark(submission, SubmissionState.HELD, code, note="Held", actor=actor)
    ticked = [box for box in form.boxes.all() if is_ticked(fields.get(box.field))]
    if ticked and form.policy_version is None:
        return _mark(
            submission, SubmissionState.HELD, HoldReason.NO_CONSENT_TEXT, note="Held", actor=actor
        )

    reason = _history_reason(submission, form)
    if subject is None:
        subject = _subject_create(contact, form=form, submission=submission, reason=reason)
    else:
        # One submission at a time changes this person: two forms sent at once would otherwise
        # both find no live consent, and the second would fail on the constraint.
        subject = Subject.objects.select_for_update().get(pk=subject.pk)
        submission.proposed_changes = _fill_empty(subject, contact, actor=actor, reason=reason)
    submission.subject = subject

    live = set(
        Consent.objects.filter(subject=subject, state=ConsentState.GIVEN).values_list(
            "purpose_id", flat=True
        )
    )
    renewing = [entry for entry in entries if entry.reason != SuppressionReason.ERASED]
    lift = False
    for box in ticked:
        if box.purpose_id in live:
            continue  # already consented: a repeated tick is not a second consent
        renewed = (
            [entry.get_reason_display() for entry in renewing] if box.purpose.is_marketing else []
        )
        text, payload = _evidence(
            submission=submission, form=form, fields=fields, box_field=box.field,
            renewed=[str(r) for r in renewed],
        )  # fmt: skip
        consent_give(
            subject=subject,
            purpose=box.purpose,
            method=ConsentMethod.TILDA_FORM,
            actor=actor,
            reason=reason,
            given_at=submission.received_at,
            evidence=text,
            evidence_payload=payload,
            policy_version=form.policy_version,
            notify_of_transfer=box.notify_of_transfer,
        )
        live.add(box.purpose_id)
        lift |= bool(renewed)
    if lift:
        suppression_lift(entries=renewing, actor=actor, reason=f"New consent: {reason}")
    return _mark(
        submission, SubmissionState.PROCESSED, "", note="Applied to the registers", actor=actor
    )


def _subject_create(
    contact: _Contact, *, form: TildaForm, submission: TildaSubmission, reason: str
) -> Subject:
    # Created through subjects.services like every other path: it takes the person's lock that
    # erasure takes too. Filling the form is the person's new act of giving their data, which
    # the service asks for when the address is on the suppression list (an old unsubscribe).
    data = {
        **contact.values,
        "source": Source.TILDA_FORM,
        "source_detail": f"Tilda form {form.formid}, submission {submission.tranid}",
        "preferred_language": form.language,
    }
    try:
        with transaction.atomic():
            return subject_services.subject_create(
                actor=None,
                reason=reason,
                data=data,
                renewed_by=f"Tilda form {form.formid}, submission {submission.tranid}",
            )
    except (ValidationError, IntegrityError):
        # Another submission created this person a moment ago (the e-mail is unique): use it.
        found = _find_subject(contact)
        if found is None:
            raise
        return found


def _fill_empty(
    subject: Subject, contact: _Contact, *, actor: User | None, reason: str
) -> dict[str, str]:
    """Fill the subject's empty fields; return the differing values as a proposal for staff."""
    fill: dict[str, str] = {}
    proposed: dict[str, str] = {}
    for name, value in contact.values.items():
        current = getattr(subject, name) or ""
        if not current:
            fill[name] = value
        elif current.casefold() != value.casefold():
            proposed[name] = value
    if fill:
        subject_services.subject_update(subject=subject, actor=actor, reason=reason, data=fill)
    return proposed


def submission_process(
    *, submission: TildaSubmission, actor: User | None = None
) -> TildaSubmission:
    """Apply a stored submission to the registers; whatever happens, the submission stays.

    A processed or rejected submission is left as it is, so a retry or a second click changes
    nothing. What fails is rolled back and the submission marked failed with the reason.
    """
    with transaction.atomic():
        submission = TildaSubmission.objects.select_for_update().get(pk=submission.pk)
        if submission.state in (SubmissionState.PROCESSED, SubmissionState.REJECTED):
            return submission
        try:
            with transaction.atomic():
                return _apply(submission, actor)
        except ValidationError as error:
            reason = "; ".join(error.messages)
        except Exception as error:  # the submission must be kept whatever broke
            logger.warning("Tilda submission #%s failed: %s", submission.pk, type(error).__name__)
            reason = type(error).__name__
        submission.subject = None
        submission.proposed_changes = {}
        return _mark(
            submission, SubmissionState.FAILED, reason, note="Processing failed", actor=actor
        )


def submissions_process(
    *, submissions: Iterable[TildaSubmission], actor: User | None
) -> dict[str, int]:
    """Process each submission in its own transaction; count the states they end in."""
    counts: dict[str, int] = {}
    for submission in submissions:
        state = submission_process(submission=submission, actor=actor).state
        counts[state] = counts.get(state, 0) + 1
    return counts


def waiting_for(formid: str) -> list[TildaSubmission]:
    return list(
        TildaSubmission.objects.filter(
            formid=formid,
            state__in=(SubmissionState.NEEDS_MAPPING, SubmissionState.RECEIVED),
        ).order_by("received_at", "pk")
    )


@transaction.atomic
def tilda_form_save(*, form: TildaForm, actor: User | None, reason: str) -> TildaForm:
    """Save a form's mapping (history names the user); its waiting submissions are applied next."""
    save_valid_with_history(form, actor=actor, reason=reason)
    transaction.on_commit(
        lambda: submissions_process(submissions=waiting_for(form.formid), actor=actor)
    )
    return form


@transaction.atomic
def submission_accept_changes(
    *, submission: TildaSubmission, actor: User | None
) -> TildaSubmission:
    """Write the values a form proposed over the subject's own (staff looked and agreed)."""
    if not (submission.subject_id and submission.proposed_changes):
        return submission
    subject = Subject.objects.select_for_update().get(pk=submission.subject_id)
    if subject.state != SubjectState.ACTIVE:
        raise DomainError(_("Only an active subject's data can be changed."), code="not_active")
    reason = f"Accepted the changes proposed by Tilda submission #{submission.pk}"
    subject_services.subject_update(
        subject=subject, actor=actor, reason=reason, data=dict(submission.proposed_changes)
    )
    submission.proposed_changes = {}
    save_with_history(submission, actor=actor, reason=reason)
    return submission

"""Writes to consents and policy versions. Each is atomic and leaves history (user, reason)."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.approval import ensure_approved
from common.errors import DomainError
from common.history import save_valid_with_history
from common.workdays import local_date
from consents.models import (
    Consent,
    ConsentState,
    DocumentKind,
    PolicyVersion,
    Purpose,
    RefusalGround,
    SuppressionReason,
    WithdrawalChannel,
    WithdrawalRefusal,
)
from consents.selectors import policy_version_in_force
from consents.suppression import suppression_add
from subjects.models import Subject, SubjectState
from subjects.representation import is_minor, representative_check
from subjects.services import subject_ensure_writable


class ConsentError(DomainError):
    """A consent operation the rules do not allow; the message says what to do instead."""


def consent_give_check(
    *,
    subject: Subject,
    purpose: Purpose,
    cross_border_transfer: bool,
    cross_border_countries: Sequence[str],
    given_on: date | None = None,
    representative_name: str = "",
) -> None:
    """Raise ConsentError when a consent with this content can't be given (the admin's add form
    calls it too, to show the refusal beside the fields)."""
    if subject.state == SubjectState.ERASED:
        raise ConsentError(_("An erased subject cannot give a consent."), code="erased")
    on = given_on or local_date(timezone.now())
    if is_minor(subject.birth_date, on=on) and not representative_name.strip():
        raise ConsentError(
            _(
                "%(subject)s is under 18 (born %(born)s): a consent for a minor is given by a "
                "parent or guardian. Record the legal representative, their document and its date."
            ),
            params={"subject": subject, "born": subject.birth_date.strftime("%d.%m.%Y")},  # type: ignore[union-attr]
            code="minor_without_representative",
        )
    if Consent.objects.filter(subject=subject, purpose=purpose, state=ConsentState.GIVEN).exists():
        raise ConsentError(
            _("%(subject)s already has a live consent for “%(purpose)s”."),
            params={"subject": subject, "purpose": purpose},
            code="duplicate",
        )
    if cross_border_countries and not cross_border_transfer:
        raise ConsentError(
            _("Countries of cross-border transfer are given, but the transfer is not consented."),
            code="countries_without_transfer",
        )


@transaction.atomic
def consent_give(
    *,
    subject: Subject,
    purpose: Purpose,
    method: str,
    actor: User | None,
    reason: str,
    given_at: datetime | None = None,
    evidence: str = "",
    evidence_payload: dict[str, Any] | None = None,
    evidence_file: "File[Any] | None" = None,
    policy_version: PolicyVersion | None = None,
    valid_until: date | None = None,
    third_party_transfer: bool = False,
    notify_of_transfer: bool = False,
    cross_border_transfer: bool = False,
    cross_border_countries: Sequence[str] = (),
    public_sources: bool = False,
    data_categories: Sequence[str] | None = None,
    legal_hold: bool = False,
    legal_hold_reason: str = "",
    representative_name: str = "",
    representative_relation: str = "",
    representative_document: str = "",
    representative_document_date: date | None = None,
    under_our_policy: bool = True,
) -> Consent:
    """Record a consent with its Art. 8(4) content, and who gave it when not the subject.

    One live consent per subject and purpose: a second is refused, and giving again after a
    withdrawal makes a new row (the withdrawn one stays as evidence). The policy version
    defaults to the privacy policy in force at `given_at` (none when not `under_our_policy`: a
    consent from an old list was given under that list's own text); the categories to the
    purpose's.
    """
    subject_ensure_writable(subject=subject)
    representative = {
        "representative_name": representative_name.strip(),
        "representative_relation": representative_relation,
        "representative_document": representative_document.strip(),
        "representative_document_date": representative_document_date,
    }
    representative_check(representative)
    given_at = given_at or timezone.now()
    if policy_version is not None and policy_version.published_at is None:
        raise ConsentError(
            _("“%(version)s” is a draft: a consent is given under a published version."),
            code="draft_policy",
            params={"version": str(policy_version)},
        )
    consent_give_check(
        subject=subject,
        purpose=purpose,
        cross_border_transfer=cross_border_transfer,
        cross_border_countries=cross_border_countries,
        given_on=local_date(given_at),
        representative_name=representative_name,
    )
    consent = Consent(  # type: ignore[misc]
        subject=subject,
        purpose=purpose,
        given_at=given_at,
        method=method,
        evidence=evidence,
        evidence_payload=evidence_payload or {},
        policy_version=policy_version
        or (policy_version_in_force(at=given_at) if under_our_policy else None),
        valid_until=valid_until,
        third_party_transfer=third_party_transfer,
        notify_of_transfer=notify_of_transfer,
        cross_border_transfer=cross_border_transfer,
        cross_border_countries=list(cross_border_countries),
        public_sources=public_sources,
        data_categories=list(
            data_categories if data_categories is not None else purpose.data_categories
        ),
        legal_hold=legal_hold,
        legal_hold_reason=legal_hold_reason,
        **representative,
    )
    if evidence_file is not None:
        consent.evidence_file = evidence_file
    save_valid_with_history(consent, actor=actor, reason=reason)
    return consent


@transaction.atomic
def consent_withdraw(
    *,
    subject: Subject,
    purposes: Iterable[Purpose] | None,
    channel: WithdrawalChannel,
    actor: User | None,
    reason: str,
    withdrawn_at: datetime | None = None,
) -> list[Consent]:
    """Withdraw the subject's live consents for `purposes` (all of them when None).

    Partial withdrawal keeps the other purposes. Purposes with no live consent are skipped, so a
    repeated withdrawal changes nothing. Withdrawing a marketing purpose suppresses the
    subject's e-mail and phone, so no old list brings them back.
    """
    # Only the consent rows are locked, not the purpose joined below: a lock on the purpose made
    # every unsubscribe from one mailing wait for the one before it to commit.
    live = Consent.objects.select_for_update(of=("self",)).filter(
        subject=subject, state=ConsentState.GIVEN
    )
    if purposes is not None:
        live = live.filter(purpose__in=list(purposes))
    withdrawn = []
    for consent in live.select_related("purpose"):
        consent.state = ConsentState.WITHDRAWN
        consent.withdrawn_at = withdrawn_at or timezone.now()
        consent.withdrawal_channel = channel
        save_valid_with_history(consent, actor=actor, reason=reason)
        withdrawn.append(consent)
    if any(consent.purpose.is_marketing for consent in withdrawn):
        suppression_add(
            email=subject.email,
            phone=subject.phone,
            reason=(
                SuppressionReason.UNSUBSCRIBED
                if channel == WithdrawalChannel.UNSUBSCRIBE_LINK
                else SuppressionReason.WITHDRAWN
            ),
            actor=actor,
        )
    return withdrawn


@transaction.atomic
def consents_withdraw_selected(
    *,
    consents: Iterable[Consent],
    channel: WithdrawalChannel,
    actor: User | None,
    reason: str,
) -> list[Consent]:
    """Withdraw a hand-picked set of consents, subject by subject (see consent_withdraw)."""
    by_subject: dict[Subject, list[Purpose]] = {}
    for consent in consents:
        if consent.state == ConsentState.GIVEN:
            by_subject.setdefault(consent.subject, []).append(consent.purpose)
    withdrawn: list[Consent] = []
    for subject, purposes in by_subject.items():
        withdrawn += consent_withdraw(
            subject=subject, purposes=purposes, channel=channel, actor=actor, reason=reason
        )
    return withdrawn


@transaction.atomic
def consent_withdrawal_refuse(
    *,
    consent: Consent,
    ground: RefusalGround,
    detail: str,
    channel: WithdrawalChannel,
    actor: User | None,
) -> WithdrawalRefusal:
    """Record that a withdrawal was refused on an Art. 8(2) ground; the consent stays given."""
    subject_ensure_writable(subject=consent.subject_id)
    if consent.state != ConsentState.GIVEN:
        raise ConsentError(
            _("Only a live consent can have its withdrawal refused."), code="not_live"
        )
    refusal = WithdrawalRefusal(
        consent=consent,
        ground=ground,
        detail=detail.strip(),
        channel=channel,
        refused_at=timezone.now(),
        refused_by=actor,
    )
    save_valid_with_history(refusal, actor=actor, reason=str(RefusalGround(ground).label))
    return refusal


@transaction.atomic
def consents_withdrawal_refuse_selected(
    *,
    consents: Iterable[Consent],
    ground: RefusalGround,
    detail: str,
    channel: WithdrawalChannel,
    actor: User | None,
) -> list[WithdrawalRefusal]:
    """Record a refused withdrawal for each live consent of a hand-picked set; others are left."""
    return [
        consent_withdrawal_refuse(
            consent=consent, ground=ground, detail=detail, channel=channel, actor=actor
        )
        for consent in consents
        if consent.state == ConsentState.GIVEN
    ]


@transaction.atomic
def consent_legal_hold_set(
    *,
    consent: Consent,
    legal_hold: bool,
    legal_hold_reason: str,
    actor: User | None,
    reason: str,
) -> Consent:
    """Mark that the law keeps this consent's data (erasure and retention then refuse), or not."""
    subject_ensure_writable(subject=consent.subject_id)
    consent.legal_hold = legal_hold
    consent.legal_hold_reason = legal_hold_reason.strip() if legal_hold else ""
    save_valid_with_history(consent, actor=actor, reason=reason)
    return consent


@transaction.atomic
def policy_version_draft(
    *,
    kind: DocumentKind,
    version_label: str,
    actor: User | None,
    reason: str,
    text_kk: str = "",
    text_ru: str = "",
    text_en: str = "",
) -> PolicyVersion:
    """A new version, not yet in force: it is approved, then published."""
    if not any((text_kk, text_ru, text_en)):
        raise ConsentError(_("A version needs its text in at least one language."))
    version = PolicyVersion(
        kind=kind, version_label=version_label, text_kk=text_kk, text_ru=text_ru, text_en=text_en
    )
    save_valid_with_history(version, actor=actor, reason=reason)
    return version


@transaction.atomic
def policy_version_publish(
    *,
    version: PolicyVersion,
    actor: User | None,
    reason: str,
    published_at: datetime | None = None,
) -> PolicyVersion:
    """Publish an approved version; consents given from `published_at` on point at it."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.published_at is not None:
        raise ConsentError(
            _("“%(version)s” is already published."),
            code="already_published",
            params={"version": str(version)},
        )
    ensure_approved(version)
    version.published_at = published_at or timezone.now()
    save_valid_with_history(version, actor=actor, reason=reason)
    return version

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consents import services
from consents.models import (
    Consent,
    ConsentState,
    DocumentKind,
    RefusalGround,
    SuppressionEntry,
    WithdrawalChannel,
)
from consents.selectors import policy_version_in_force, subjects_with_outdated_consents
from consents.suppression import is_suppressed
from tests.consents.factories import (
    ConsentFactory,
    PolicyVersionFactory,
    published_version,
    purpose,
    seeded_policy,
)
from tests.subjects.factories import SubjectFactory


def _give_for_feedback(officer, **fields):
    """A consent of a new subject to feedback, given by e-mail; `fields` add or override."""
    values = {
        "subject": SubjectFactory(), "purpose": purpose("feedback"), "method": "email",
        "actor": officer, "reason": "x",
    }  # fmt: skip
    return services.consent_give(**{**values, **fields})


@pytest.mark.django_db
def test_a_consent_records_its_content_version_and_history(officer):
    subject = SubjectFactory()

    consent = services.consent_give(
        subject=subject,
        purpose=purpose("newsletter"),
        method="site_checkbox",
        actor=officer,
        reason="Form on the site",
        evidence="Checkbox on /subscribe",
        evidence_payload={"formid": "form123"},
        cross_border_transfer=True,
        cross_border_countries=["US"],
    )

    consent.refresh_from_db()
    assert consent.policy_version == seeded_policy()
    assert consent.data_categories == ["name", "email"]  # the purpose's categories by default
    assert consent.valid_until is None  # until the purpose is achieved
    assert [c.code for c in consent.cross_border_countries] == ["US"]
    record = consent.history.get()
    assert (record.history_user, record.history_change_reason) == (officer, "Form on the site")


@pytest.mark.django_db
def test_a_second_live_consent_for_the_same_purpose_is_refused(officer):
    consent = ConsentFactory()

    with pytest.raises(services.ConsentError, match="already has a live consent"):
        services.consent_give(
            subject=consent.subject,
            purpose=consent.purpose,
            method="email",
            actor=officer,
            reason="again",
        )
    assert Consent.objects.count() == 1


@pytest.mark.django_db
def test_countries_without_a_consented_transfer_are_refused(officer):
    with pytest.raises(services.ConsentError):
        _give_for_feedback(officer, cross_border_countries=["DE"])


@pytest.mark.django_db
def test_a_card_number_in_the_evidence_payload_is_refused(officer):
    with pytest.raises(ValidationError) as raised:
        _give_for_feedback(
            officer,
            method="tilda_form",
            evidence_payload={"fields": {"comment": "my card 4111 1111 1111 1111"}},
        )

    assert "evidence_payload" in raised.value.message_dict
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_partial_withdrawal_keeps_the_other_purposes(officer):
    subject = SubjectFactory()
    for code in ("feedback", "newsletter", "contracts"):
        ConsentFactory(subject=subject, purpose=purpose(code))

    withdrawn = services.consent_withdraw(
        subject=subject,
        purposes=[purpose("feedback")],
        channel=WithdrawalChannel.LETTER,
        actor=officer,
        reason="Letter of 3 March",
    )

    assert [c.purpose.code for c in withdrawn] == ["feedback"]
    live = set(subject.consents.filter(state="given").values_list("purpose__code", flat=True))
    assert live == {"newsletter", "contracts"}
    feedback = subject.consents.get(purpose__code="feedback")
    assert feedback.withdrawal_channel == WithdrawalChannel.LETTER
    assert feedback.history.first().history_change_reason == "Letter of 3 March"
    assert not is_suppressed(email=subject.email)  # feedback is not marketing


@pytest.mark.django_db
def test_withdrawing_all_and_marketing_suppresses_the_contacts(officer):
    subject = SubjectFactory(email="Olga@Example.org", phone="+77010000001")
    ConsentFactory(subject=subject, purpose=purpose("newsletter"))
    ConsentFactory(subject=subject, purpose=purpose("feedback"))

    withdrawn = services.consent_withdraw(
        subject=subject, purposes=None, channel="email_request", actor=officer, reason="Request"
    )

    assert len(withdrawn) == 2
    assert not subject.consents.filter(state="given").exists()
    assert is_suppressed(email=" OLGA@example.org")
    assert is_suppressed(phone="8 701 000 00 01")
    assert set(SuppressionEntry.objects.values_list("reason", flat=True)) == {"withdrawn"}


@pytest.mark.django_db
def test_withdrawn_consent_cannot_be_withdrawn_again(officer):
    consent = ConsentFactory()
    args = {"subject": consent.subject, "purposes": None, "channel": "letter", "actor": officer}
    services.consent_withdraw(reason="first", **args)

    again = services.consent_withdraw(reason="second", **args)

    assert again == []
    consent.refresh_from_db()
    assert consent.history.count() == 2  # given, withdrawn: nothing for the second call


@pytest.mark.django_db
def test_consent_can_be_given_again_after_withdrawal_as_a_new_row(officer):
    consent = ConsentFactory(purpose=purpose("feedback"))
    services.consent_withdraw(
        subject=consent.subject, purposes=None, channel="letter", actor=officer, reason="x"
    )

    again = services.consent_give(
        subject=consent.subject,
        purpose=consent.purpose,
        method="email",
        actor=officer,
        reason="Asked to join again",
    )

    assert again.pk != consent.pk
    states = sorted(consent.subject.consents.values_list("state", flat=True))
    assert states == [ConsentState.GIVEN, ConsentState.WITHDRAWN]


@pytest.mark.django_db
def test_a_refused_withdrawal_is_recorded_and_the_consent_stays(officer):
    consent = ConsentFactory(purpose=purpose("contracts"))

    refusal = services.consent_withdrawal_refuse(
        consent=consent,
        ground=RefusalGround.UNFULFILLED_OBLIGATION,
        detail="Contract No. 12 is being performed until 1 June",
        channel=WithdrawalChannel.EMAIL_REQUEST,
        actor=officer,
    )

    consent.refresh_from_db()
    assert consent.state == ConsentState.GIVEN
    assert refusal.refused_by == officer
    assert refusal.history.get().history_user == officer


@pytest.mark.django_db
def test_refusing_a_selection_skips_the_consents_already_withdrawn(officer):
    live = ConsentFactory(purpose=purpose("contracts"))
    gone = ConsentFactory()
    services.consent_withdraw(
        subject=gone.subject, purposes=None, channel=WithdrawalChannel.LETTER,
        actor=officer, reason="Letter",
    )  # fmt: skip

    refusals = services.consents_withdrawal_refuse_selected(
        consents=Consent.objects.filter(pk__in=[live.pk, gone.pk]),
        ground=RefusalGround.UNFULFILLED_OBLIGATION,
        detail="Contract No. 12 is being performed",
        channel=WithdrawalChannel.EMAIL_REQUEST,
        actor=officer,
    )

    assert [r.consent for r in refusals] == [live]
    assert not gone.refusals.exists()


@pytest.mark.django_db
def test_a_refusal_needs_its_explanation(officer):
    consent = ConsentFactory()

    with pytest.raises(ValidationError) as raised:
        services.consent_withdrawal_refuse(
            consent=consent,
            ground=RefusalGround.CONTRARY_TO_LAW,
            detail="  ",
            channel=WithdrawalChannel.LETTER,
            actor=officer,
        )

    assert "detail" in raised.value.message_dict


@pytest.mark.django_db
def test_a_new_policy_version_puts_older_consents_on_the_re_consent_list(officer):
    old = ConsentFactory()
    past = timezone.now() - timezone.timedelta(days=1)
    version = published_version(
        version_label="2", published_at=past, text_kk="Жаңа нұсқа", actor=officer
    )
    fresh = ConsentFactory(policy_version=version)

    assert policy_version_in_force() == version
    assert list(subjects_with_outdated_consents()) == [old.subject]
    assert fresh.subject not in subjects_with_outdated_consents()


@pytest.mark.django_db
def test_a_version_in_the_future_is_not_yet_in_force():
    PolicyVersionFactory(published_at=timezone.now() + timezone.timedelta(days=3))

    assert policy_version_in_force() == seeded_policy()


@pytest.mark.django_db
def test_a_version_without_text_is_not_drafted(officer):
    with pytest.raises(services.ConsentError):
        services.policy_version_draft(
            kind=DocumentKind.PRIVACY_POLICY, version_label="3", actor=officer, reason="x"
        )


@pytest.mark.django_db
def test_a_digit_run_in_a_stored_file_name_is_not_taken_for_a_card_number(officer):
    from django.core.files.base import ContentFile

    # Intake names raw messages after their digest: hex digits can pass Luhn by chance.
    consent = _give_for_feedback(
        officer, evidence_file=ContentFile(b"scan", name="4111111111111111a.eml")
    )

    assert consent.evidence_file.name.endswith(".eml")


@pytest.mark.django_db
def test_a_purpose_keeping_data_after_its_end_must_name_the_law():
    from django.db import IntegrityError, transaction

    from consents.models import purpose_retention_refusal

    refusal = purpose_retention_refusal(retention_days=90, retention_law="")
    assert refusal is not None
    assert refusal.code == "retention_without_law"
    assert purpose_retention_refusal(retention_days=None, retention_law="") is None
    assert purpose_retention_refusal(retention_days=0, retention_law="") is None
    assert purpose_retention_refusal(retention_days=90, retention_law="Tax Code, Art. 48") is None
    target = purpose("feedback")
    target.retention_days = 90
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "retention_law" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        target.save()  # the database refuses it too, whatever writes it

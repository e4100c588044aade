from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from processors import services
from processors.models import Disclosure, Processor, RecipientKind, TransferNotice
from tests.consents.factories import ConsentFactory, purpose
from tests.processors.factories import ProcessorFactory
from tests.subjects.factories import SubjectFactory


def _record(**overrides):
    values = {
        "actor": None,
        "reason": "Request of the court",
        "recipient": "Specialised inter-district court of Almaty",
        "recipient_kind": RecipientKind.STATE_BODY,
        "disclosed_at": timezone.now() - timedelta(hours=2),
        "legal_basis": "Court request No. 7-1/2026 of 02.11.2026",
        "subjects": [],
        "data_categories": ["name", "phone"],
    }
    return services.disclosure_record(**{**values, **overrides})


@pytest.mark.django_db
def test_a_disclosure_is_logged_with_its_subjects_and_history_naming_actor_and_reason(officer):
    # Given two subjects whose data the court asked for
    subjects = SubjectFactory.create_batch(2)

    # When the officer logs the disclosure
    disclosure = _record(actor=officer, subjects=subjects, note="Sent by courier")

    # Then the log holds the subjects, and its history names the officer and the reason
    assert set(disclosure.subjects.all()) == set(subjects)
    assert disclosure.recorded_by == officer
    assert disclosure.data_categories == ["name", "phone"]
    record = disclosure.history.get()
    assert record.history_type == "+"
    assert record.history_user == officer
    assert record.history_change_reason == "Request of the court"
    assert set(subjects[0].disclosures.all()) == {disclosure}


@pytest.mark.django_db
def test_a_disclosure_without_subjects_is_refused(officer):
    with pytest.raises(ValidationError) as raised:
        _record(actor=officer, subjects=[])

    assert "subjects" in raised.value.message_dict
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_disclosure_without_categories_is_refused(officer):
    with pytest.raises(ValidationError) as raised:
        _record(actor=officer, subjects=[SubjectFactory()], data_categories=[])

    assert "data_categories" in raised.value.message_dict
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_disclosure_cannot_be_logged_before_it_happens(officer):
    with pytest.raises(ValidationError) as raised:
        _record(
            actor=officer,
            subjects=[SubjectFactory()],
            disclosed_at=timezone.now() + timedelta(days=1),
        )

    assert "disclosed_at" in raised.value.message_dict
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_card_number_in_the_note_of_a_disclosure_is_refused(officer):
    with pytest.raises(ValidationError) as raised:
        _record(actor=officer, subjects=[SubjectFactory()], note="Card 4111 1111 1111 1111")

    assert "note" in raised.value.message_dict
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_an_erased_subject_is_never_named_in_a_new_disclosure(officer):
    from erasure.services import subject_erase

    kept, erased = SubjectFactory.create_batch(2)
    subject_erase(subject=erased, actor=officer, reason="The subject asked")

    with pytest.raises(ValidationError) as refusal:
        _record(actor=officer, subjects=[kept, erased])

    assert f"#{erased.pk}" in str(refusal.value)
    assert not Disclosure.objects.exists()


def _consent_asking(code: str, **options):
    """A live consent to `code`; `notify_of_transfer` says whether it asks to be told."""
    return ConsentFactory(purpose=purpose(code), **{"notify_of_transfer": True, **options})


@pytest.mark.django_db
def test_a_processor_saved_with_a_new_purpose_owes_a_notice_per_consent_that_asks(officer):
    first, second = _consent_asking("newsletter"), _consent_asking("newsletter")
    _consent_asking("newsletter", notify_of_transfer=False)  # consented, without the condition
    _consent_asking("feedback")  # asks, for a purpose the processor does not serve
    processor = ProcessorFactory(legal_name="Mail Delivery Ltd")

    saved = services.processor_save(
        processor=processor, purposes=[purpose("newsletter")], actor=officer, reason="Contract 4"
    )

    assert {notice.consent for notice in saved.notices} == {first, second}
    assert set(processor.purposes.all()) == {purpose("newsletter")}
    for notice in saved.notices:
        assert (notice.processor, notice.recipient, notice.cross_border) == (
            processor, "Mail Delivery Ltd", False,
        )  # fmt: skip
        record = notice.history.get()
        assert (record.history_user, record.history_change_reason) == (officer, "Contract 4")
    latest = processor.history.first()
    assert (latest.history_user, latest.history_change_reason) == (officer, "Contract 4")


@pytest.mark.django_db
def test_a_processor_moving_abroad_owes_notices_for_every_purpose_it_serves(officer):
    asking = _consent_asking("newsletter")
    processor = ProcessorFactory(purposes=[purpose("newsletter")])

    processor.stores_data_in_kazakhstan = False
    saved = services.processor_save(
        processor=processor, purposes=None, actor=officer, reason="Moved to Frankfurt"
    )

    [notice] = saved.notices
    assert (notice.consent, notice.cross_border) == (asking, True)
    assert TransferNotice.objects.get() == notice


@pytest.mark.django_db
def test_a_processor_saved_without_a_new_transfer_owes_nothing(officer):
    _consent_asking("newsletter")
    processor = ProcessorFactory(purposes=[purpose("newsletter")])

    processor.contact = "dpo@mail-delivery.example"
    saved = services.processor_save(
        processor=processor, purposes=[purpose("newsletter")], actor=officer, reason="New contact"
    )

    assert saved.notices == []
    assert not TransferNotice.objects.exists()
    processor.refresh_from_db()
    assert processor.contact == "dpo@mail-delivery.example"
    assert processor.history.first().history_change_reason == "New contact"


@pytest.mark.django_db
def test_a_new_processor_owes_notices_for_its_purposes(officer):
    asking = _consent_asking("newsletter")
    processor = ProcessorFactory.build(legal_name="Cloud Mail LLP", country="KZ")

    saved = services.processor_save(
        processor=processor, purposes=[purpose("newsletter")], actor=officer, reason="Contract 5"
    )

    assert processor.pk is not None
    assert [notice.consent for notice in saved.notices] == [asking]
    assert processor.history.get().history_user == officer


@pytest.mark.django_db
def test_an_invalid_processor_is_refused_and_nothing_is_saved(officer):
    _consent_asking("newsletter")
    processor = ProcessorFactory.build(legal_name="")

    with pytest.raises(ValidationError):
        services.processor_save(
            processor=processor, purposes=[purpose("newsletter")], actor=officer, reason="x"
        )

    assert not Processor.objects.exists()
    assert not TransferNotice.objects.exists()

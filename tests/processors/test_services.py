from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from processors import services
from processors.models import Disclosure, RecipientKind
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

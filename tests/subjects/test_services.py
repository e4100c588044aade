import pytest
from django.core.exceptions import ValidationError

from subjects import services
from subjects.models import ContactHandle, Subject
from tests.subjects.factories import SubjectFactory


@pytest.mark.django_db
def test_created_subject_is_normalised_and_its_history_names_actor_and_reason(officer):
    subject = services.subject_create(
        actor=officer,
        reason="Registered by phone",
        data={
            "last_name": "Нұрланова",
            "first_name": "Айгерім",
            "email": " Aigerim.Nurlanova@Example.COM ",
            "phone": "8 (701) 000-00-01",
            "source": "phone_call",
        },
    )

    subject.refresh_from_db()
    assert subject.email == "aigerim.nurlanova@example.com"
    assert subject.phone == "+77010000001"
    record = subject.history.get()
    assert record.history_type == "+"
    assert record.history_user == officer
    assert record.history_change_reason == "Registered by phone"


@pytest.mark.django_db
def test_an_e_mail_is_unique_whatever_its_case(officer):
    SubjectFactory(email="olga@example.org")

    with pytest.raises(ValidationError) as raised:
        services.subject_create(
            actor=officer, reason="x", data={"email": "OLGA@example.org", "source": "email"}
        )

    assert "email" in str(raised.value) or "e-mail" in str(raised.value)
    assert Subject.objects.count() == 1


@pytest.mark.django_db
def test_an_invalid_update_writes_nothing(officer):
    subject = SubjectFactory(city="Алматы")

    with pytest.raises(ValidationError) as raised:
        services.subject_update(
            subject=subject,
            actor=officer,
            reason="typo",
            data={"city": "Астана", "phone": "7,70E+10"},
        )

    assert "phone" in raised.value.message_dict
    subject.refresh_from_db()
    assert subject.city == "Алматы"
    assert subject.history.count() == 1


@pytest.mark.django_db
def test_an_update_records_who_changed_what_and_why(officer):
    subject = SubjectFactory(city="Алматы")

    services.subject_update(
        subject=subject, actor=officer, reason="Request #7 of the subject", data={"city": "Астана"}
    )

    latest, previous = subject.history.all()[:2]
    assert latest.history_user == officer
    assert latest.history_change_reason == "Request #7 of the subject"
    assert latest.diff_against(previous).changed_fields == ["city"]


@pytest.mark.django_db
def test_a_card_number_in_the_address_is_refused(officer):
    with pytest.raises(ValidationError) as raised:
        services.subject_create(
            actor=officer,
            reason="x",
            data={"address": "Card 4111 1111 1111 1111", "source": "email"},
        )

    assert "address" in raised.value.message_dict
    assert not Subject.objects.exists()


@pytest.mark.django_db
def test_handles_are_added_and_removed_with_history(officer):
    subject = SubjectFactory()

    handle = services.handle_add(
        subject=subject, actor=officer, reason="From the form", kind="telegram", value=" @aigerim "
    )
    services.handle_remove(handle=handle, actor=officer, reason="Subject asked")

    assert not ContactHandle.objects.exists()
    history = ContactHandle.history.order_by("history_date")
    assert [h.history_type for h in history] == ["+", "-"]
    assert [h.history_change_reason for h in history] == ["From the form", "Subject asked"]
    assert [h.value for h in history] == ["", ""]  # a removed account is forgotten, history too

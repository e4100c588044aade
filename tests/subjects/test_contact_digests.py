"""Each subject keeps keyed digests of its e-mail and phone, the same as the suppression list
stores: written by every path that writes them, never stale, blanked by erasure."""

import pytest
from django.db import connection

from common.contact_digests import stored_contact_digest
from consents.suppression import suppression_digest
from erasure.services import subject_erase
from subjects.models import Subject
from subjects.services import subject_create, subject_update
from tests.subjects.factories import SubjectFactory


def digests(subject: Subject) -> tuple[str | None, str | None]:
    return Subject.objects.values_list("email_digest", "phone_digest").get(pk=subject.pk)


def created(officer, email: str, phone: str) -> Subject:
    data = {"email": email, "phone": phone, "source": "email"}
    return subject_create(actor=officer, reason="test", data=data)


def expected(email: str | None, phone: str) -> tuple[str | None, str | None]:
    return stored_contact_digest("email", email), stored_contact_digest("phone", phone)


@pytest.mark.django_db
def test_a_created_subject_keeps_the_digests_the_suppression_list_would_store(officer):
    subject = created(officer, " Asel@Example.KZ ", "8 (701) 000-00-77")

    assert digests(subject) == (
        suppression_digest(kind="email", value="asel@example.kz"),
        suppression_digest(kind="phone", value="+7 701 000 00 77"),
    )
    # The history row holds them too (erasure blanks both: see the erasure test below).
    record = subject.history.get()
    assert (record.email_digest, record.phone_digest) == digests(subject)


@pytest.mark.django_db
def test_an_update_rewrites_the_digests_and_a_removed_phone_leaves_none(officer):
    subject = SubjectFactory(email="old@example.kz", phone="+77010000001")

    subject_update(
        subject=subject, actor=officer, reason="test", data={"email": "new@example.kz", "phone": ""}
    )

    assert digests(subject) == expected("new@example.kz", "")
    assert digests(subject)[1] is None


@pytest.mark.django_db
def test_saving_only_the_e_mail_writes_its_digest_with_it():
    subject = SubjectFactory(email="old@example.kz", phone="+77010000001")
    subject.email = "other@example.kz"

    subject.save(update_fields=["email"])

    assert digests(subject) == expected("other@example.kz", "+77010000001")


@pytest.mark.django_db
def test_raw_sql_that_changes_the_e_mail_or_phone_nulls_the_stale_digest():
    subject = SubjectFactory(email="old@example.kz", phone="+77010000001")
    city_only = SubjectFactory(email="kept@example.kz", phone="+77010000002")

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE subjects_subject SET email = 'raw@example.kz' WHERE id = %s", [subject.pk]
        )
        cursor.execute(
            "UPDATE subjects_subject SET phone = '+77010000009' WHERE id = %s", [city_only.pk]
        )
        cursor.execute("UPDATE subjects_subject SET city = 'Астана'")

    # NULL means "not known": readers hash the value themselves (never a wrong digest).
    assert digests(subject) == (None, stored_contact_digest("phone", "+77010000001"))
    assert digests(city_only) == (stored_contact_digest("email", "kept@example.kz"), None)


@pytest.mark.django_db
def test_a_queryset_update_of_the_phone_nulls_its_digest():
    subject = SubjectFactory(email="a@example.kz", phone="+77010000001")

    Subject.objects.filter(pk=subject.pk).update(phone="+77010000003")

    assert digests(subject)[1] is None


@pytest.mark.django_db
def test_erasure_blanks_both_digests_in_the_row_and_its_history(officer):
    subject = created(officer, "gone@example.kz", "+77010000005")

    subject_erase(subject=subject, actor=officer, reason="test")

    assert digests(subject) == (None, None)
    assert not Subject.history.filter(id=subject.pk, email_digest__isnull=False).exists()
    assert not Subject.history.filter(id=subject.pk, phone_digest__isnull=False).exists()

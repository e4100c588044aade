"""The PostgreSQL fast path writes each subject's e-mail and phone digests with them (the
digests the reader computed for its own suppression check): created people, phones merged from
a later row, phones filled into people already held. The ORM writer's are compared with these
in test_both_writers."""

import pytest

from common.contact_digests import stored_contact_digest
from subjects.models import Subject
from tests.imports.conftest import run_import
from tests.subjects.factories import SubjectFactory

LIST = (
    "Email;ФИО;Телефон\r\n"
    "new@example.kz;Петров Иван;8 701 000 00 11\r\n"
    "merged@example.kz;Цой Виктор;\r\n"
    "MERGED@example.kz;;+7 701 000 00 12\r\n"  # the phone comes from the later row
    "held@example.kz;Ким Асель;+7 701 000 00 13\r\n"  # fills the phone of a subject held
).encode()


@pytest.mark.django_db
def test_the_fast_path_writes_the_digests_of_every_e_mail_and_phone_it_writes():
    held = SubjectFactory(email="held@example.kz", phone="")
    held_history = held.history.count()

    run_import(LIST)

    subjects = Subject.objects.filter(email__in=["new@example.kz", "merged@example.kz"])
    assert {s.phone for s in subjects} | {Subject.objects.get(pk=held.pk).phone} == {
        "+77010000011", "+77010000012", "+77010000013",
    }  # fmt: skip
    for subject in [*subjects, Subject.objects.get(pk=held.pk)]:
        assert (subject.email_digest, subject.phone_digest) == (
            stored_contact_digest("email", subject.email),
            stored_contact_digest("phone", subject.phone),
        ), subject.email
    # The history rows the import wrote copy them.
    for record in Subject.history.filter(email__in=["new@example.kz", "held@example.kz"]):
        if record.phone:
            assert record.phone_digest == stored_contact_digest("phone", record.phone)
    assert held.history.count() == held_history + 1

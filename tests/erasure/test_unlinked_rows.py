"""Rows that name a person but were linked to nobody when they were kept: a rejected row of an
import (the person was not yet a subject), a Tilda submission not yet applied. Erasure finds
them by the person's addresses; an import after the erasure keeps nothing of them."""

import io
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from common.history import save_with_history
from erasure.services import subject_erase
from imports.models import RejectedRow
from imports.services import ImportSource, mailing_list_import
from tests.consents.factories import purpose
from tests.subjects.factories import SubjectFactory
from webforms.models import TildaSubmission

# Lines 2-4 have one cell too many (an unquoted comma): rejected, their cells kept as they came
# on the import's record (the import of line 5 makes one).
LIST = (
    "Email,Телефон,Имя\n"
    "Aigerim.Bekova@Example.kz,,Айгерим,лишнее\n"
    ",8 (701) 555-12-34,Айгерим,лишнее\n"
    "someone.else@example.kz,+7 702 000 00 00,Другой,лишнее\n"
    "fine@example.kz,,Дана\n"
)


def _import(officer, content: str = LIST):
    source = ImportSource("old.csv", io.BytesIO(content.encode()))
    return mailing_list_import(sources=[source], purpose=purpose(), actor=officer)


def _submission(fields: dict[str, str]) -> TildaSubmission:
    body = urlencode(fields).encode()
    submission = TildaSubmission(
        formid="form000000009", tranid=fields["tranid"], received_at=timezone.now(),
        body=body, body_size=len(body),
    )  # fmt: skip
    save_with_history(submission, actor=None, reason="stored")
    return submission


@pytest.mark.django_db
def test_erasure_blanks_rejected_rows_kept_before_the_person_was_a_subject(officer):
    _import(officer)
    assert not RejectedRow.objects.exclude(subject=None).exists()  # nobody to link them to
    person = SubjectFactory(email="aigerim.bekova@example.kz", phone="+77015551234")

    subject_erase(subject=person, actor=officer, reason="request")

    rows = {row.line: row for row in RejectedRow.objects.all()}
    assert (rows[2].cells, rows[2].reason) == ([], "")  # by the address, in another case
    assert (rows[3].cells, rows[3].reason) == ([], "")  # by the phone, written another way
    assert rows[4].cells[0] == "someone.else@example.kz"  # someone else's stays


@pytest.mark.django_db
def test_an_import_after_the_erasure_keeps_no_cells_of_the_erased(officer):
    person = SubjectFactory(email="aigerim.bekova@example.kz", phone="+77015551234")
    subject_erase(subject=person, actor=officer, reason="request")

    report = _import(officer)

    assert report.files[0].rejected == 3
    rows = {row.line: row for row in RejectedRow.objects.all()}
    for line in (2, 3):
        assert rows[line].cells == []
        assert "erased" in rows[line].reason
    assert rows[4].cells[0] == "someone.else@example.kz"


@pytest.mark.django_db
def test_erasure_blanks_tilda_submissions_not_yet_applied_that_name_the_person(officer):
    person = SubjectFactory(email="aigerim.bekova@example.kz", phone="+77015551234")
    by_email = _submission({"Email": "AIGERIM.BEKOVA@example.kz", "tranid": "1:1"})
    by_phone = _submission({"Phone": "+7 (701) 555 12 34", "tranid": "1:2"})
    other = _submission({"Email": "someone.else@example.kz", "tranid": "1:3"})

    subject_erase(subject=person, actor=officer, reason="request")

    for submission in (by_email, by_phone, other):
        submission.refresh_from_db()
    assert by_email.body is None
    assert by_phone.body is None
    assert bytes(other.body) == b"Email=someone.else%40example.kz&tranid=1%3A3"
    assert not TildaSubmission.history.filter(id=by_email.pk).exclude(body=None).exists()

"""Intake from files and by hand: one request per message, kept raw when unreadable."""

import json
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from common.validators import contains_card_number
from common.workdays import ALMATY
from requests.models import (
    ActionKind,
    RequestAttachment,
    RequestChannel,
    RequestKind,
    RequestStatus,
    SubjectRequest,
    UnreadableMessage,
)
from requests.services.intake import (
    Outcome,
    message_ingest,
    request_kind_confirm,
    request_register,
    request_update,
)
from requests.services.mailbox import files_ingest
from requests.services.unreadable import unreadable_retry
from tests.requests.conftest import sample_emails
from tests.requests.letters import letter
from tests.subjects.factories import SubjectFactory


def ingest(*args: str) -> dict:
    out = StringIO()
    call_command("ingest_requests", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_every_sample_and_the_mbox_read_twice_make_one_request_each(samples):
    paths = [*(str(p) for p in sample_emails()), str(samples / "privacy_inbox.mbox")]

    first = ingest(*paths)
    second = ingest(*paths)

    # The mbox holds the same three letters as the .eml files.
    assert first == {"created": 3, "duplicates": 3, "follow_ups": 0, "failed": 0}
    assert second == {"created": 0, "duplicates": 6, "follow_ups": 0, "failed": 0}
    assert SubjectRequest.objects.count() == 3
    assert SubjectRequest.history.count() == 3  # nothing was written twice


@pytest.mark.django_db
def test_a_sample_becomes_a_request_as_the_letter_wrote_it(samples):
    subject = SubjectFactory(email="Saule.Bekmuratova@example.kz", preferred_language="kk")

    result = message_ingest(raw=(samples / "access_request_kk.eml").read_bytes(), source="test")

    subject_request = result.request
    assert result.outcome == Outcome.CREATED
    assert (
        subject_request.kind,
        subject_request.suggested_kind,
        subject_request.kind_confirmed,
    ) == (
        "access",
        "access",
        False,
    )
    assert subject_request.channel == RequestChannel.EMAIL
    assert subject_request.received_at == datetime(2026, 2, 5, 10, 15, 42, tzinfo=ALMATY)
    assert (subject_request.requester_last_name, subject_request.requester_first_name) == (
        "Бекмұратова",
        "Сәуле",
    )
    assert subject_request.reply_email == "saule.bekmuratova@example.kz"
    assert subject_request.subject == subject
    assert subject_request.language == "kk"
    assert subject_request.message_subject == "Менің дербес деректеріме қол жеткізу туралы өтініш"
    # Access: 3 working days from the day after Thursday 5 February 2026, over a weekend.
    assert (subject_request.deadline_days, subject_request.deadline_unit) == (3, "working_days")
    assert subject_request.due_date == date(2026, 2, 10)
    with subject_request.raw_message.open("rb") as handle:
        assert handle.read() == (samples / "access_request_kk.eml").read_bytes()
    [attachment] = subject_request.attachments.all()
    assert attachment.filename == "өтініш_Бекмұратова.txt"
    assert "Бекмұратова" not in attachment.file.name  # on disk under a random name
    # No patronymic in the letter: incomplete, the missing part named.
    assert not subject_request.is_complete
    assert subject_request.missing_items == ["requester_patronymic"]
    record = subject_request.history.get()
    assert (record.history_user, record.history_change_reason) == (None, "Received by e-mail")
    assert list(subject_request.actions.values_list("kind", flat=True)) == [ActionKind.RECEIVED]


@pytest.mark.django_db
def test_the_russian_sample_is_complete_and_the_forwarded_one_names_its_author(samples):
    erasure = message_ingest(
        raw=(samples / "erasure_request_ru.eml").read_bytes(), source="t"
    ).request
    withdrawal = message_ingest(
        raw=(samples / "withdrawal_request_en.eml").read_bytes(), source="t"
    ).request

    assert erasure.kind == RequestKind.ERASURE
    assert erasure.requester_last_name == "Соколов"
    assert erasure.requester_first_name == "Андрей"
    assert erasure.requester_patronymic == "Викторович"
    assert erasure.is_complete
    assert erasure.language == "ru"
    assert erasure.due_date == date(2026, 2, 12)  # 1 working day after Wednesday 11 Feb 2026

    assert withdrawal.kind == RequestKind.WITHDRAWAL
    assert withdrawal.reply_email == "emily.carter@example.com"
    assert withdrawal.forwarded_by == "frontdesk@example.org"
    assert (withdrawal.requester_first_name, withdrawal.requester_last_name) == ("Emily", "Carter")
    assert withdrawal.language == "en"


@pytest.mark.django_db
def test_the_subject_is_matched_by_sender_and_candidates_are_kept_when_the_letter_names_others():
    sender = SubjectFactory(email="asel.kim@example.kz")
    other = SubjectFactory(email="mother@example.kz")

    only_sender = message_ingest(raw=letter(body="Удалите мои данные."), source="t").request
    ambiguous = message_ingest(
        raw=letter(body="Удалите данные мои и мамы: mother@example.kz."), source="t"
    ).request

    assert (only_sender.subject, list(only_sender.candidates.all())) == (sender, [])
    assert ambiguous.subject == sender  # the sender's own address decides
    assert set(ambiguous.candidates.all()) == {sender, other}


@pytest.mark.django_db
def test_a_stranger_writing_about_one_known_address_is_matched_to_it_and_about_two_to_neither():
    known = SubjectFactory(email="known@example.kz")
    second = SubjectFactory(email="second@example.kz")

    one = message_ingest(
        raw=letter(sender="new@example.kz", body="My old address: known@example.kz"), source="t"
    ).request
    two = message_ingest(
        raw=letter(sender="new@example.kz", body="known@example.kz and second@example.kz"),
        source="t",
    ).request

    assert one.subject == known
    assert two.subject is None
    assert set(two.candidates.all()) == {known, second}


@pytest.mark.django_db
def test_an_unreadable_message_is_kept_raw_counted_as_failed_once_and_never_doubled(tmp_path):
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"Subject: card 4111 1111 1111 1111\r\n\r\nno sender\r\n")

    first = ingest(str(broken))
    second = ingest(str(broken))

    assert (first["failed"], first["duplicates"]) == (1, 0)
    assert (second["failed"], second["duplicates"]) == (0, 1)  # known already: nothing new
    kept = UnreadableMessage.objects.get()
    assert kept.source == "broken.eml"
    assert "no sender" in kept.error
    with kept.raw_message.open("rb") as handle:
        stored = handle.read()
    assert b"no sender" in stored
    assert not contains_card_number(stored.decode())  # masked even though it can't be parsed
    assert SubjectRequest.objects.count() == 0


@pytest.mark.django_db
def test_an_unreadable_message_read_again_becomes_a_request(tmp_path, officer, monkeypatch):
    from requests.services import intake

    raw = letter(body="Прошу удалить мои данные.")
    monkeypatch.setattr(intake, "parse_message", _raise_unreadable)  # a parser bug, since fixed
    message_ingest(raw=raw, source="box#1")
    kept = UnreadableMessage.objects.get()
    monkeypatch.undo()

    subject_request = unreadable_retry(message=kept, actor=officer)

    kept.refresh_from_db()
    assert kept.request == subject_request
    assert subject_request.kind == RequestKind.ERASURE
    assert kept.history.latest().history_user == officer


def _raise_unreadable(raw: bytes):
    from requests.mail.parsing import UnreadableMessageError

    raise UnreadableMessageError("parser bug")


@pytest.mark.django_db
def test_card_numbers_in_a_letter_are_masked_before_anything_is_saved():
    raw = letter(
        subject="Возврат на карту 4111 1111 1111 1111",
        body="Верните взнос на карту 4111 1111 1111 1111.\n\nС уважением,\nКим Асель Маратовна",
        attachments=(("чек.txt", "text/plain; charset=utf-8", b"card 5500000000000004"),),
    )

    subject_request = message_ingest(raw=raw, source="t").request

    assert subject_request.card_numbers_masked
    assert "**** **** **** 1111" in subject_request.content
    assert not contains_card_number(subject_request.message_subject)
    with subject_request.raw_message.open("rb") as handle:
        assert b"4111 1111 1111 1111" not in handle.read()
    attachment = subject_request.attachments.get()
    with attachment.file.open("rb") as handle:
        assert handle.read().strip() == b"card ************0004"


@pytest.mark.django_db
def test_a_request_by_post_is_registered_by_staff_with_its_kind_confirmed(staff_user):
    subject = SubjectFactory(preferred_language="ru")

    subject_request = request_register(
        actor=staff_user,
        reason="Letter of 19.03.2026",
        data={
            "kind": RequestKind.RECTIFICATION,
            "channel": RequestChannel.LETTER,
            "received_at": datetime(2026, 3, 19, 15, 0, tzinfo=ALMATY),
            "requester_last_name": "Ким",
            "requester_first_name": "Асель",
            "requester_patronymic": "Маратовна",
            "reply_postal_address": "Алматы, ул. Абая, 1",
            "content": "Исправьте мою фамилию.",
            "subject": subject,
        },
    )

    assert subject_request.kind_confirmed
    assert subject_request.kind_confirmed_by == staff_user
    assert subject_request.is_complete  # a postal address is a reply address
    assert subject_request.language == "ru"
    # Rectification: 1 working day after Thursday 19 March 2026 is Friday 20 March.
    assert subject_request.due_date == date(2026, 3, 20)
    record = subject_request.history.get()
    assert (record.history_user, record.history_change_reason) == (
        staff_user,
        "Letter of 19.03.2026",
    )


@pytest.mark.django_db
def test_confirming_another_kind_brings_its_deadline_counted_from_the_same_receipt(staff_user):
    raw = letter(
        body="Когда ваше следующее мероприятие?", date=datetime(2026, 3, 19, 10, 0, tzinfo=ALMATY)
    )
    subject_request = message_ingest(raw=raw, source="t").request
    assert (subject_request.kind, subject_request.due_date) == (
        RequestKind.OTHER,
        date(2026, 3, 27),
    )

    request_kind_confirm(
        subject_request=subject_request, actor=staff_user, kind=RequestKind.UNSUBSCRIBE
    )

    subject_request.refresh_from_db()
    assert subject_request.kind_confirmed_by == staff_user
    assert (subject_request.deadline_days, subject_request.deadline_unit) == (2, "calendar_days")
    assert subject_request.due_date == date(2026, 3, 21)  # 2 calendar days, holidays or not
    kinds = list(subject_request.actions.values_list("kind", flat=True))
    assert kinds == [ActionKind.RECEIVED, ActionKind.UPDATED, ActionKind.KIND_CONFIRMED]


@pytest.mark.django_db
def test_staff_complete_the_requester_details_and_the_log_names_fields_not_values(staff_user):
    subject_request = message_ingest(
        raw=letter(body="Удалите мои данные.", sender="asel@example.kz"), source="t"
    ).request

    names = {"requester_last_name": "Ким", "requester_first_name": "Асель"}
    names["requester_patronymic"] = "Маратовна"
    request_update(
        subject_request=subject_request, actor=staff_user, reason="Phone call", data=names
    )

    subject_request.refresh_from_db()
    assert subject_request.is_complete
    note = subject_request.actions.get(kind=ActionKind.UPDATED).note
    assert "patronymic" in note
    assert "Маратовна" not in note


@pytest.mark.django_db
def test_the_command_needs_something_to_read():
    with pytest.raises(CommandError):
        call_command("ingest_requests")
    with pytest.raises(CommandError, match="IMAP_HOST"):
        call_command("ingest_requests", "--imap")


@pytest.mark.django_db
def test_a_folder_of_letters_is_read_whole(samples):
    counts = files_ingest([samples])

    assert counts.as_dict() == {"created": 3, "duplicates": 3, "follow_ups": 0, "failed": 0}
    assert RequestAttachment.objects.count() == 1
    assert set(SubjectRequest.objects.values_list("status", flat=True)) == {RequestStatus.RECEIVED}

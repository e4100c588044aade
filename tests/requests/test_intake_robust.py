"""Intake never stops and never drops: every message ends as a request or an unreadable message.

The fixture messages in tests/requests/messages/ are written as real mailers and real breakage
produce them: RFC 6532 (raw UTF-8 headers, "SMTPUTF8"), NUL bytes that PostgreSQL refuses in text,
letters without a sender, binary garbage.
"""

import mailbox
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DataError

from requests.models import RequestAttachment, SubjectRequest, UnreadableMessage
from requests.services import intake
from requests.services.intake import Outcome, message_ingest
from requests.services.intake_files import file_save, files_in_step
from requests.services.mailbox import files_ingest
from tests.requests.letters import letter
from tests.subjects.factories import SubjectFactory

MESSAGES = Path(__file__).parent / "messages"


def message(name: str) -> bytes:
    return (MESSAGES / name).read_bytes()


def files_on_disk() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.mark.django_db
def test_a_raw_utf8_sender_rfc6532_becomes_a_request():
    # RFC 6532 section 3.2: header values, addresses included, may be UTF-8 without encoding.
    SubjectFactory(email="other@example.kz")

    result = message_ingest(raw=message("rfc6532_utf8_sender.eml"), source="a.eml")

    assert result.outcome == Outcome.CREATED
    subject_request = result.request
    assert (subject_request.requester_last_name, subject_request.requester_first_name) == (
        "Қасымова",
        "Асель",
    )
    assert subject_request.message_subject == "Деректерімді жойыңыз"
    assert subject_request.kind == "erasure"
    assert subject_request.subject is None


@pytest.mark.django_db
def test_nul_bytes_anywhere_are_left_out_of_the_text_and_the_raw_message_is_kept():
    result = message_ingest(raw=message("nul_bytes.eml"), source="nul.eml")

    assert result.outcome == Outcome.CREATED
    subject_request = result.request
    assert subject_request.message_subject == "Delete my data"
    assert subject_request.content == "Please delete my personal data."
    [attachment] = subject_request.attachments.all()
    assert attachment.filename == "scan.pdf"
    with subject_request.raw_message.open("rb") as handle:
        assert handle.read() == message("nul_bytes.eml")  # the bytes as they came


@pytest.mark.django_db
def test_a_message_the_database_refuses_is_kept_unreadable_and_leaves_no_stray_files(
    monkeypatch,
):
    # The refusal comes after the .eml and the attachment were written, as today's NUL did.
    def refuse(*args, **kwargs):
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")

    monkeypatch.setattr(intake, "action_record", refuse)

    result = message_ingest(raw=message("nul_bytes.eml"), source="nul.eml")

    assert result.outcome == Outcome.FAILED
    kept = result.unreadable
    assert "DataError" in kept.error
    assert SubjectRequest.objects.count() == RequestAttachment.objects.count() == 0
    assert files_on_disk() == [Path(kept.raw_message.path)]  # no orphan .eml, no orphan scan


@pytest.mark.django_db
def test_files_written_in_a_block_that_fails_are_deleted_even_when_nested():
    kept = UnreadableMessage(source="x", error="x", message_digest="0" * 64)
    dropped = UnreadableMessage(source="y", error="y", message_digest="1" * 64)

    with files_in_step():
        file_save(kept.raw_message, "kept.eml", b"kept")

    def outer_fails_after_inner_succeeded() -> None:
        with files_in_step():
            with files_in_step():
                file_save(dropped.raw_message, "dropped.eml", b"dropped")
            raise RuntimeError("the outer block fails")

    with pytest.raises(RuntimeError):
        outer_fails_after_inner_succeeded()

    assert [path.name for path in files_on_disk()] == ["kept.eml"]


@pytest.mark.django_db
def test_a_run_over_good_and_broken_messages_stores_every_one_and_never_stops(tmp_path):
    box_path = tmp_path / "mixed.mbox"
    box = mailbox.mbox(box_path)
    inputs = [
        letter(body="Прошу удалить мои данные."),
        message("rfc6532_utf8_sender.eml"),
        message("nul_bytes.eml"),
        message("no_sender.eml"),
        message("garbage.eml"),
        letter(body="Отзываю согласие на рассылку."),
    ]
    for raw in inputs:
        box.add(raw)
    box.close()

    counts = files_ingest([box_path])

    assert counts.as_dict() == {"created": 4, "duplicates": 0, "follow_ups": 0, "failed": 2}
    assert sum(counts.as_dict().values()) == len(inputs)
    assert SubjectRequest.objects.count() + UnreadableMessage.objects.count() == len(inputs)
    errors = sorted(UnreadableMessage.objects.values_list("error", flat=True))
    assert errors == ["the message names no sender address"] * 2


@pytest.mark.django_db
def test_a_letter_that_reuses_a_message_id_is_stored_and_flagged_and_a_copy_is_not():
    first = letter(message_id="<same@mail.example.kz>", body="Прошу удалить мои данные.")
    other = letter(message_id="<same@mail.example.kz>", body="Прошу отозвать согласие.")

    results = [message_ingest(raw=raw, source="x") for raw in (first, other, first, other)]

    assert [result.outcome for result in results] == [
        Outcome.CREATED, Outcome.CREATED, Outcome.DUPLICATE, Outcome.DUPLICATE,
    ]  # fmt: skip
    requests = SubjectRequest.objects.order_by("pk")
    assert [subject_request.message_id_reused for subject_request in requests] == [False, True]
    assert requests[0].message_digest == requests[1].message_digest
    assert requests[0].content_digest != requests[1].content_digest


@pytest.mark.django_db
def test_a_request_read_before_content_digests_still_keeps_its_letter_out():
    raw = letter(message_id="<old@mail.example.kz>", body="Прошу удалить мои данные.")
    message_ingest(raw=raw, source="x")
    SubjectRequest.objects.update(content_digest=None)  # as rows stored before the change

    assert message_ingest(raw=raw, source="x").outcome == Outcome.DUPLICATE


@pytest.mark.django_db
def test_one_letter_costs_a_bounded_number_of_queries(django_assert_max_num_queries):
    message_ingest(raw=letter(body="Прошу удалить мои данные."), source="warm-up")  # caches

    # Savepoint (2), known? (2), sender (1), deadline rule and calendar (2), the request's
    # constraints checked (7), the request and its history (2), its "received" entry (3).
    with django_assert_max_num_queries(19):
        result = message_ingest(raw=letter(body="Отзываю согласие."), source="x")

    assert result.outcome == Outcome.CREATED

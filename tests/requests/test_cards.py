"""Card numbers are blotted out wherever a letter's text is kept, the stored .eml included."""

from email import message_from_bytes, policy
from pathlib import Path

import pytest

from common.validators import contains_card_number
from requests.services.intake import Outcome, message_ingest

MESSAGES = Path(__file__).parent / "messages"


def every_text(raw: bytes) -> list[str]:
    """Every header, file name and decoded text part of a stored message."""
    message = message_from_bytes(raw, policy=policy.default)
    texts = []
    for part in message.walk():
        texts += [str(value) for _name, value in part.items()]
        texts.append(part.get_filename() or "")
        if part.get_content_maintype() == "text":
            texts.append(part.get_content().replace("&nbsp;", " ").replace("&#160;", " "))
    return texts


@pytest.mark.django_db
def test_card_numbers_are_masked_in_every_header_part_file_name_and_the_stored_copy():
    raw = (MESSAGES / "cards_everywhere.eml").read_bytes()

    result = message_ingest(raw=raw, source="cards.eml")

    assert result.outcome == Outcome.CREATED
    subject_request = result.request
    assert subject_request.card_numbers_masked
    for text in (
        subject_request.content,
        subject_request.message_subject,
        subject_request.requester_first_name,
    ):
        assert not contains_card_number(text)
    assert "****\u2009****\u2009****\u20091111" in subject_request.content  # the separators stay
    [attachment] = subject_request.attachments.all()
    assert attachment.filename == "card **** **** **** 1111.pdf"
    with subject_request.raw_message.open("rb") as handle:
        stored = handle.read()
    texts = every_text(stored)
    assert not [text for text in texts if contains_card_number(text)]
    assert any("****.****.****.1111" in text for text in texts)  # X-Comment, masked


@pytest.mark.django_db
def test_a_card_number_in_a_raw_cp1251_subject_is_masked_and_the_subject_stays_readable():
    raw = (MESSAGES / "cards_raw_cp1251_subject.eml").read_bytes()

    subject_request = message_ingest(raw=raw, source="x").request

    assert subject_request.message_subject == "Карта **** **** **** 1111"
    with subject_request.raw_message.open("rb") as handle:
        stored = message_from_bytes(handle.read(), policy=policy.default)
    assert str(stored["Subject"]) == "Карта **** **** **** 1111"


@pytest.mark.django_db
def test_an_unreadable_message_is_stored_masked_even_inside_base64():
    raw = (MESSAGES / "cards_everywhere.eml").read_bytes().replace(b"From: ", b"X-From: ", 1)

    result = message_ingest(raw=raw, source="x")

    assert result.outcome == Outcome.FAILED
    with result.unreadable.raw_message.open("rb") as handle:
        stored = handle.read()
    assert not [text for text in every_text(stored) if contains_card_number(text)]


@pytest.mark.django_db
def test_a_text_attachment_in_windows_1251_is_masked_in_its_own_charset():
    from tests.requests.letters import letter

    text = "Заявление. Карта 4111 1111 1111 1111."
    raw = letter(attachments=(("заявление.txt", "text/plain", text.encode("cp1251")),))

    subject_request = message_ingest(raw=raw, source="x").request

    [attachment] = subject_request.attachments.all()
    with attachment.file.open("rb") as handle:
        assert handle.read().decode("cp1251").strip() == "Заявление. Карта **** **** **** 1111."

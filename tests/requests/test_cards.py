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


# Python's email.utils.make_msgid (which Django's mail uses) writes <time.pid.random@domain>: a
# 64-bit random number of up to 20 digits, which passes the card check in about one case in ten.
# This one is 4111 1111 1111 1111 inside such an id.
MAILER_ID = "<179628378492.12444.4111111111111111@example.org>"


@pytest.mark.django_db
def test_message_identifiers_are_not_taken_for_card_numbers_and_a_reply_still_joins_its_request():
    from requests.models import ActionKind
    from requests.services.base import action_record
    from tests.requests.letters import letter

    subject_request = message_ingest(raw=letter(body="Какие мои данные у вас?"), source="x").request
    action_record(
        subject_request, kind=ActionKind.INFORMATION_REQUESTED, actor=None, message_id=MAILER_ID
    )
    reply = letter(body="Отвечаю.", message_id=MAILER_ID.replace("4111", "5500", 1),
                   in_reply_to=MAILER_ID)  # fmt: skip

    result = message_ingest(raw=reply, source="x")

    assert result.outcome == Outcome.FOLLOW_UP
    assert result.request == subject_request
    [stored] = subject_request.attachments.filter(content_type="message/rfc822")
    with stored.file.open("rb") as handle:
        kept = message_from_bytes(handle.read(), policy=policy.default)
    assert str(kept["In-Reply-To"]) == MAILER_ID
    assert str(kept["References"]) == MAILER_ID


@pytest.mark.django_db
def test_a_card_number_written_into_an_identifier_header_as_text_is_masked():
    from tests.requests.letters import letter

    raw = letter(message_id="<card 4111 1111 1111 1111>", in_reply_to="my card 4111 1111 1111 1111")

    subject_request = message_ingest(raw=raw, source="x").request

    with subject_request.raw_message.open("rb") as handle:
        stored = handle.read()
    assert not [text for text in every_text(stored) if contains_card_number(text)]

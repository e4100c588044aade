"""Unreadable messages name no subject; erasure finds the person's by their addresses."""

from pathlib import Path

import pytest

from common.mentions import Mentions
from erasure.services import subject_erase
from requests.models import UnreadableMessage
from requests.selectors import unreadable_messages_mentioning
from requests.services.intake import message_ingest
from tests.requests.letters import letter
from tests.subjects.factories import SubjectFactory


def _raise_unreadable(raw: bytes):
    from requests.mail.parsing import UnreadableMessageError

    raise UnreadableMessageError("parser bug")


def _keep_unreadable(monkeypatch, raw: bytes) -> UnreadableMessage:
    from requests.services import intake

    monkeypatch.setattr(intake, "parse_message", _raise_unreadable)
    result = message_ingest(raw=raw, source="box#1")
    monkeypatch.undo()
    assert result.unreadable is not None
    return result.unreadable


@pytest.mark.django_db
def test_unreadable_messages_are_found_by_address_or_phone_even_in_an_encoded_body(
    monkeypatch, media
):
    by_address = _keep_unreadable(monkeypatch, letter(sender="Беков <Bekov@Example.kz>"))
    # The letter's body is base64 (tests.requests.letters): the phone is found decoded.
    by_phone = _keep_unreadable(
        monkeypatch, letter(sender="x@example.org", body="Мой номер: 8 (747) 123-45-67")
    )
    _keep_unreadable(monkeypatch, letter(sender="someone.else@example.org", body="Другое"))

    found = unreadable_messages_mentioning(Mentions(["bekov@example.kz", "+77471234567"]))

    assert {m.pk for m in found} == {by_address.pk, by_phone.pk}


@pytest.mark.django_db
def test_erasure_forgets_the_persons_unreadable_messages_rows_history_and_files(
    monkeypatch, media, officer, django_capture_on_commit_callbacks
):
    subject = SubjectFactory(email="bekov@example.kz", phone="+77471234567")
    theirs = _keep_unreadable(monkeypatch, letter(sender="Беков <bekov@example.kz>"))
    other = _keep_unreadable(monkeypatch, letter(sender="someone.else@example.org"))
    their_file = Path(theirs.raw_message.path)
    assert their_file.exists()

    with django_capture_on_commit_callbacks(execute=True):
        log = subject_erase(subject=subject, actor=officer, reason="Asked")

    theirs.refresh_from_db()
    other.refresh_from_db()
    assert theirs.raw_message.name == ""
    assert {h.raw_message for h in theirs.history.all()} == {""}
    assert not their_file.exists()
    assert Path(other.raw_message.path).exists()
    assert log.counts["tables"]["requests.UnreadableMessage"]["rows"] == 1
    assert not [p for p in Path(media).rglob("*.eml") if b"bekov" in p.read_bytes().lower()]


@pytest.mark.django_db
def test_deleting_an_unreadable_message_in_the_admin_blanks_its_history_and_file_first(
    monkeypatch, media, admin_client, django_capture_on_commit_callbacks
):
    kept = _keep_unreadable(monkeypatch, letter(sender="Беков <bekov@example.kz>"))
    path = Path(kept.raw_message.path)
    url = f"/admin/requests/unreadablemessage/{kept.pk}/delete/"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not UnreadableMessage.objects.filter(pk=kept.pk).exists()
    trail = UnreadableMessage.history.filter(id=kept.pk).order_by("history_id")
    assert [h.history_type for h in trail] == ["+", "-"]
    assert {h.raw_message for h in trail} == {""}
    assert not path.exists()

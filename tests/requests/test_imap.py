"""Intake from a real IMAP server on loopback (pymap), as the privacy mailbox would be read."""

import imaplib
import json
import mailbox
import time
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from common.workdays import ALMATY
from requests.mail.imap import mailbox_name
from requests.models import MailboxCursor, SubjectRequest, UnreadableMessage
from requests.services.mailbox import imap_ingest
from tests.requests.conftest import sample_emails
from tests.requests.letters import letter


def mailbox_messages(samples) -> list[bytes]:
    """Every sample letter, then every message of the mbox (the same three letters again)."""
    box = mailbox.mbox(samples / "privacy_inbox.mbox", create=False)
    try:
        from_mbox = [box.get_bytes(key) for key in box.iterkeys()]
    finally:
        box.close()
    return [path.read_bytes() for path in sample_emails()] + from_mbox


@pytest.mark.django_db
def test_the_mailbox_read_twice_makes_one_request_per_message(imap_server, samples):
    folder = imap_server.folder(mailbox_messages(samples))
    config = imap_server.settings(folder)

    first = imap_ingest(config)
    second = imap_ingest(config)

    assert first.as_dict() == {"created": 3, "duplicates": 3, "follow_ups": 0, "failed": 0}
    assert second.as_dict() == {"created": 0, "duplicates": 0, "follow_ups": 0, "failed": 0}
    assert SubjectRequest.objects.count() == 3
    cursor = MailboxCursor.objects.get(folder=folder)
    assert cursor.last_uid > 0
    assert cursor.uidvalidity > 0
    assert (cursor.host, cursor.user) == ("127.0.0.1", "demouser")


@pytest.mark.django_db
def test_only_new_mail_is_read_on_the_next_run(imap_server, samples):
    folder = imap_server.folder([sample_emails()[0].read_bytes()])
    config = imap_server.settings(folder)
    imap_ingest(config)

    imap_server.append(folder, letter(body="Прошу удалить мои данные."))
    counts = imap_ingest(config)

    assert counts.as_dict() == {"created": 1, "duplicates": 0, "follow_ups": 0, "failed": 0}
    assert SubjectRequest.objects.count() == 2


@pytest.mark.django_db
def test_a_new_uidvalidity_reads_everything_again_without_duplicates(imap_server, samples):
    messages = mailbox_messages(samples)
    folder = imap_server.folder(messages)
    config = imap_server.settings(folder)
    imap_ingest(config)
    before = MailboxCursor.objects.get(folder=folder).uidvalidity

    imap_server.recreate(folder, messages)
    counts = imap_ingest(config)

    assert MailboxCursor.objects.filter(folder=folder).exclude(uidvalidity=before).exists()
    assert counts.as_dict() == {"created": 0, "duplicates": 6, "follow_ups": 0, "failed": 0}
    assert SubjectRequest.objects.count() == 3


@pytest.mark.django_db
def test_the_server_time_of_receipt_is_the_request_time(imap_server):
    # INTERNALDATE is set by the server at APPEND: the letter's own Date header says otherwise.
    folder = imap_server.folder([letter(body="Удалите мои данные.")])

    imap_ingest(imap_server.settings(folder))

    subject_request = SubjectRequest.objects.get()
    client = imap_server.client()
    try:
        client.select(folder, readonly=True)
        _status, data = client.uid("FETCH", "1:*", "(INTERNALDATE)")
    finally:
        client.logout()
    server_time = time.mktime(imaplib.Internaldate2tuple(data[0]))
    assert subject_request.received_at.timestamp() == server_time
    assert subject_request.received_at != datetime(
        2026, 3, 19, 10, 0, tzinfo=ALMATY
    )  # the Date header


@pytest.mark.django_db
def test_the_command_reads_the_mailbox_configured_in_the_settings(imap_server, samples, settings):
    folder = imap_server.folder(mailbox_messages(samples))
    settings.IMAP_HOST, settings.IMAP_PORT = "127.0.0.1", imap_server.port
    settings.IMAP_SSL, settings.IMAP_STARTTLS = False, False
    settings.IMAP_USER, settings.IMAP_PASSWORD, settings.IMAP_FOLDER = (
        "demouser",
        "demopass",
        folder,
    )

    runs = []
    for _ in range(2):
        out = StringIO()
        call_command("ingest_requests", "--imap", "--json", stdout=out)
        runs.append(json.loads(out.getvalue()))

    assert runs == [
        {"created": 3, "duplicates": 3, "follow_ups": 0, "failed": 0},
        {"created": 0, "duplicates": 0, "follow_ups": 0, "failed": 0},
    ]


@pytest.mark.django_db
def test_a_wrong_password_fails_the_command(imap_server, settings):
    from django.core.management import CommandError

    settings.IMAP_HOST, settings.IMAP_PORT = "127.0.0.1", imap_server.port
    settings.IMAP_SSL, settings.IMAP_USER, settings.IMAP_PASSWORD = False, "demouser", "wrong"

    with pytest.raises(CommandError, match="IMAP"):
        call_command("ingest_requests", "--imap", stdout=StringIO())


def folder_uids(imap_server, folder: str) -> list[int]:
    client = imap_server.client()
    try:
        client.select(mailbox_name(folder), readonly=True)
        _status, data = client.uid("SEARCH", None, "ALL")
    finally:
        client.logout()
    return sorted(map(int, data[0].split()))


@pytest.mark.django_db
def test_a_poisonous_message_does_not_block_the_ones_after_it(imap_server):
    # Before: a raw UTF-8 sender (RFC 6532) ended the run, and every later run met it again.
    poison = (Path(__file__).parent / "messages" / "rfc6532_utf8_sender.eml").read_bytes()
    broken = (Path(__file__).parent / "messages" / "no_sender.eml").read_bytes()
    folder = imap_server.folder([poison, broken, letter(body="Удалите мои данные.")])
    config = imap_server.settings(folder)

    first = imap_ingest(config)
    second = imap_ingest(config)

    assert first.as_dict() == {"created": 2, "duplicates": 0, "follow_ups": 0, "failed": 1}
    assert second.as_dict() == {"created": 0, "duplicates": 0, "follow_ups": 0, "failed": 0}
    uids = folder_uids(imap_server, folder)
    assert MailboxCursor.objects.get(folder=folder).last_uid == uids[-1]
    assert UnreadableMessage.objects.get().source == f"imap:{folder}#{uids[1]}"


@pytest.mark.django_db
def test_a_folder_named_in_cyrillic_is_read(imap_server):
    # RFC 3501 section 5.1.3: the name travels as "&BB4EMQRABDAESQQ1BD0EOARP-" (modified UTF-7).
    assert mailbox_name("Обращения") == '"&BB4EMQRABDAESQQ1BD0EOARP-"'
    folder = imap_server.folder([letter(body="Удалите мои данные.")], prefix="Обращения")

    counts = imap_ingest(imap_server.settings(folder))

    assert counts.created == 1
    assert MailboxCursor.objects.get().folder == folder

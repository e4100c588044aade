"""Reading many messages: .eml and mbox files, and the IMAP mailbox with its remembered position."""

import mailbox
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from requests.mail.imap import ImapSettings, MailboxReader
from requests.models import MailboxCursor
from requests.services.intake import IngestResult, message_ingest


@dataclass
class IngestCounts:
    created: int = 0
    duplicates: int = 0
    follow_ups: int = 0
    failed: int = 0

    def add(self, result: IngestResult) -> None:
        name = str(result.outcome)
        setattr(self, name, getattr(self, name) + 1)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


Progress = Callable[[str, IngestResult], None]


def _file_messages(path: Path) -> Iterator[tuple[str, bytes]]:
    """(source, raw bytes) of each message in a file or, for a folder, in its .eml/.mbox files."""
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.suffix.lower() in {".eml", ".mbox"} or child.name == "mbox":
                yield from _file_messages(child)
        return
    with path.open("rb") as handle:
        head = handle.read(5)
    if path.suffix.lower() == ".mbox" or head == b"From ":
        box = mailbox.mbox(path, create=False)
        try:
            for index, key in enumerate(box.iterkeys(), start=1):
                yield f"{path.name}#{index}", box.get_bytes(key)
        finally:
            box.close()
    else:
        yield path.name, path.read_bytes()


def files_ingest(paths: Iterable[Path], *, progress: Progress | None = None) -> IngestCounts:
    """Ingest every message of the given .eml files, mbox files and folders of them."""
    counts = IngestCounts()
    for path in paths:
        for source, raw in _file_messages(Path(path)):
            result = message_ingest(raw=raw, source=source)
            counts.add(result)
            if progress:
                progress(source, result)
    return counts


def imap_settings() -> ImapSettings:
    """The privacy mailbox as configured in the environment (IMAP_* settings)."""
    return ImapSettings(
        host=settings.IMAP_HOST,
        port=settings.IMAP_PORT,
        user=settings.IMAP_USER,
        password=settings.IMAP_PASSWORD,
        folder=settings.IMAP_FOLDER,
        ssl=settings.IMAP_SSL,
        starttls=settings.IMAP_STARTTLS,
    )


def imap_ingest(config: ImapSettings, *, progress: Progress | None = None) -> IngestCounts:
    """Ingest the messages that arrived in the folder since the last run.

    The position (the last UID read under the folder's UIDVALIDITY, kept per host, user and
    folder) moves past a message in the same transaction that stores it, as a request or as an
    unreadable message, and never before: a run that stops half way goes on from there next
    time, and no message is skipped. A new UIDVALIDITY means the folder's UIDs were renumbered:
    everything is read again, and the messages already known count as duplicates.
    """
    counts = IngestCounts()
    with MailboxReader(config) as reader:
        host, user, folder, uidvalidity = (
            config.host.lower(),
            config.user,
            config.folder,
            reader.uidvalidity,
        )
        cursor = MailboxCursor.objects.filter(
            host=host, user=user, folder=folder, uidvalidity=uidvalidity
        ).first()
        for fetched in reader.messages_after(cursor.last_uid if cursor else 0):
            source = f"imap:{config.folder}#{fetched.uid}"
            with transaction.atomic():
                result = message_ingest(
                    raw=fetched.raw, source=source, received_at=fetched.internal_date
                )
                MailboxCursor.objects.update_or_create(
                    host=host, user=user, folder=folder, uidvalidity=uidvalidity,
                    defaults={"last_uid": fetched.uid},
                )  # fmt: skip
            counts.add(result)
            if progress:
                progress(source, result)
    return counts

"""Reading the privacy mailbox over IMAP (standard library `imaplib`), without changing it.

Messages are fetched with BODY.PEEK, so their \\Seen flag stays as it was: the mailbox remains the
staff's to read. Folder names outside ASCII ("Обращения") are sent in IMAP's modified UTF-7, with
IMAPClient's codec. The caller remembers the folder's UIDVALIDITY and the last UID it read; when the
server reports another UIDVALIDITY (the folder was recreated) every message is read again, and
the Message-ID keeps that from making a second request.
"""

import contextlib
import imaplib
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from imapclient import imap_utf7

_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    ssl: bool = True
    starttls: bool = False
    timeout: float = 60.0

    @property
    def account(self) -> str:
        return f"{self.user}@{self.host}:{self.port}"


@dataclass(frozen=True)
class FetchedMessage:
    uid: int
    raw: bytes
    internal_date: datetime | None


class ImapError(Exception):
    pass


def _connect(config: ImapSettings) -> imaplib.IMAP4:
    context = ssl.create_default_context()
    if config.ssl:
        return imaplib.IMAP4_SSL(
            config.host, config.port, ssl_context=context, timeout=config.timeout
        )
    client = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
    if config.starttls:
        client.starttls(ssl_context=context)
    return client


def _check(result: tuple[str, list], what: str) -> list:
    status, data = result
    if status != "OK":
        raise ImapError(f"{what}: {status} {data!r}")
    return data


class MailboxReader:
    """A connection to one folder: its UIDVALIDITY, and the messages after a given UID."""

    def __init__(self, config: ImapSettings) -> None:
        self.config = config
        self.client: imaplib.IMAP4 | None = None
        self.uidvalidity = 0

    def __enter__(self) -> "MailboxReader":
        try:
            self.client = _connect(self.config)
            _check(self.client.login(self.config.user, self.config.password), "LOGIN")
            _check(self.client.select(mailbox_name(self.config.folder), readonly=True), "SELECT")
        except (OSError, imaplib.IMAP4.error) as error:
            raise ImapError(f"{self.config.account}: {error}") from error
        _status, values = self.client.response("UIDVALIDITY")
        self.uidvalidity = int(values[0]) if values and values[0] else 0
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):  # it is going away anyway
                self.client.logout()

    def uids_after(self, last_uid: int) -> list[int]:
        data = _check(self.client.uid("SEARCH", None, f"UID {last_uid + 1}:*"), "SEARCH")  # type: ignore[arg-type, union-attr]
        # "n:*" always matches the last message, even when its UID is below n.
        return sorted(uid for uid in map(int, (data[0] or b"").split()) if uid > last_uid)

    def fetch(self, uid: int) -> FetchedMessage | None:
        """The message with this UID; None when it was expunged since the SEARCH."""
        data = _check(self.client.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])"), "FETCH")  # type: ignore[union-attr]
        # The UID may come before or after the literal; the literal's item is the message.
        for item in data:
            if isinstance(item, tuple) and b"BODY[]" in item[0]:
                return FetchedMessage(uid=uid, raw=item[1], internal_date=_internal_date(item[0]))
        if any(item for item in data if item):
            raise ImapError(f"FETCH {uid}: no message in the answer")
        return None

    def messages_after(self, last_uid: int) -> Iterator[FetchedMessage]:
        for uid in self.uids_after(last_uid):
            fetched = self.fetch(uid)
            if fetched is not None:
                yield fetched


def _internal_date(response: bytes) -> datetime | None:
    """When the server received the message (INTERNALDATE "14-May-2025 10:21:37 +0500")."""
    match = _INTERNALDATE.search(response)
    if not match:
        return None
    day, month, rest = match.group(1).decode().strip().split("-", 2)
    try:
        return datetime.strptime(
            f"{int(day):02d} {_MONTHS.index(month) + 1:02d} {rest}", "%d %m %Y %H:%M:%S %z"
        )
    except ValueError:
        return None


def mailbox_name(folder: str) -> str:
    """A folder name as IMAP writes it: modified UTF-7 (RFC 3501 5.1.3), quoted."""
    encoded = imap_utf7.encode(folder).decode("ascii")
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'

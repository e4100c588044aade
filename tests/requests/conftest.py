"""Real servers on loopback for the intake and answer tests: an IMAP server and an SMTP sink.

IMAP: pymap (a dev dependency) with its in-memory backend, started as a subprocess once per test
session; each test gets its own folder, filled through IMAP APPEND like a mail server would.
SMTP: aiosmtpd, in this process on its own thread; Django's SMTP backend is pointed at it.
"""

import email
import imaplib
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from requests.mail.imap import ImapSettings, mailbox_name
from tests.processes import processes_stop

IMAP_USER, IMAP_PASSWORD = "demouser", "demopass"  # pymap's dict backend's built-in account


def samples_dir() -> Path:
    """Letters written for the tests (tests/requests/data/): the three requests as .eml files,
    and the same three in privacy_inbox.mbox, as a mail server would keep them."""
    return Path(__file__).parent / "data"


def sample_emails() -> list[Path]:
    return sorted(samples_dir().glob("*.eml"))


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path) -> None:
    """Letters, attachments and the erasure journal land in a throwaway folder, not in var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ERASURE_JOURNAL_PATH = tmp_path / "erasure-journal.jsonl"


@pytest.fixture
def samples() -> Path:
    return samples_dir()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@dataclass
class ImapServer:
    port: int

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(IMAP_USER, IMAP_PASSWORD)
        return client

    def folder(self, messages: Sequence[bytes] = (), *, prefix: str = "Privacy") -> str:
        """A new folder holding `messages`, delivered by APPEND; its name may be non-ASCII."""
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        client = self.client()
        try:
            assert client.create(mailbox_name(name))[0] == "OK"
            for raw in messages:
                self.append(name, raw, client=client)
        finally:
            client.logout()
        return name

    def append(self, folder: str, raw: bytes, *, client: imaplib.IMAP4 | None = None) -> None:
        own = client is None
        client = client or self.client()
        try:
            status, data = client.append(mailbox_name(folder), None, None, raw)
            assert status == "OK", data
        finally:
            if own:
                client.logout()

    def recreate(self, folder: str, messages: list[bytes]) -> None:
        """Delete and create the folder again: the server gives it a new UIDVALIDITY."""
        client = self.client()
        try:
            assert client.delete(mailbox_name(folder))[0] == "OK"
            assert client.create(mailbox_name(folder))[0] == "OK"
            for raw in messages:
                self.append(folder, raw, client=client)
        finally:
            client.logout()

    def settings(self, folder: str) -> ImapSettings:
        return ImapSettings(
            host="127.0.0.1", port=self.port, user=IMAP_USER, password=IMAP_PASSWORD,
            folder=folder, ssl=False, starttls=False, timeout=10,
        )  # fmt: skip


@pytest.fixture(scope="session")
def imap_server(tmp_path_factory) -> Iterator[ImapServer]:
    port = _free_port()
    pymap = Path(sys.executable).with_name("pymap")
    log = (tmp_path_factory.mktemp("pymap") / "pymap.log").open("wb")
    process = subprocess.Popen(
        [str(pymap), "--host", "127.0.0.1", "--port", str(port), "--no-tls", "dict"],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path_factory.getbasetemp(),
    )
    try:
        _wait_for_port(port, process)
        yield ImapServer(port=port)
    finally:
        processes_stop([process])
        log.close()


@dataclass
class SmtpSink:
    port: int
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "554 Transaction failed: refused by the test"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        self.received.clear()
        self.envelopes.clear()
        self.refuse = False


@pytest.fixture(scope="session")
def _smtp_controller() -> Iterator[SmtpSink]:
    port = _free_port()
    sink = SmtpSink(port=port)
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def smtp_sink(_smtp_controller: SmtpSink, settings) -> SmtpSink:
    """An SMTP server on loopback that keeps what it receives; Django sends mail to it."""
    _smtp_controller.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _smtp_controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return _smtp_controller


def wait_for_mail(sink: SmtpSink, count: int, timeout: float = 5) -> list[EmailMessage]:
    """The sink's handler runs on its own thread: give it the moment it needs."""
    deadline = time.monotonic() + timeout
    while len(sink.received) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return list(sink.received)

"""Intake from Dovecot, the IMAP server most privacy mailboxes really sit on (Debian's package).

The test starts its own Dovecot on loopback, as an ordinary program with its own configuration
and a Maildir in a temporary folder (not the system service); mail is delivered as an MTA's
local delivery does, by writing files into the Maildir's `new/` folder (the Maildir format:
cr.yp.to/proto/maildir.html), or by IMAP APPEND where a folder is made over IMAP. The
configuration uses the settings of Dovecot 2.3's documentation (doc.dovecot.org:
`mail_location = maildir:...`, a `passwd-file` passdb, a `static` userdb, `inet_listener`).

Dovecot comes from `.ci/run` (apt-get install dovecot-imapd). Without it the tests are skipped
on a developer's machine and fail under CI (CI=true): the server must be there.
"""

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from requests.mail.imap import ImapSettings, mailbox_name
from requests.models import MailboxCursor, SubjectRequest, UnreadableMessage
from requests.services.mailbox import imap_ingest
from tests.processes import processes_stop
from tests.requests.letters import letter

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
MESSAGES = Path(__file__).parent / "messages"
PASSWORD = "intake-test-password"
USERS = [f"privacy{number}" for number in range(20)]

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
instance_name = derbes-test-{port}
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{root}/mail/%u/Maildir
first_valid_uid = 1
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Dovecot:
    root: Path
    port: int
    mail_uid: int
    mail_gid: int
    next_user: int = 0

    def account(self) -> str:
        """A user of its own for each test: an empty INBOX."""
        user = USERS[self.next_user]
        self.next_user += 1
        return user

    def client(self, user: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(user, PASSWORD)
        return client

    def deliver(self, user: str, raw: bytes) -> None:
        """Local delivery into the INBOX: write into tmp/, then move into new/ (Maildir)."""
        maildir = self.root / "mail" / user / "Maildir"
        if not (maildir / "tmp").exists():  # Dovecot makes the Maildir when INBOX is opened
            client = self.client(user)
            client.select("INBOX")
            client.logout()
        name = f"{time.time_ns()}.{uuid.uuid4().hex}.derbes-test"
        temporary = maildir / "tmp" / name
        temporary.write_bytes(raw)
        os.chown(temporary, self.mail_uid, self.mail_gid)
        temporary.rename(maildir / "new" / name)

    def create(self, user: str, folder: str, messages: list[bytes]) -> None:
        client = self.client(user)
        try:
            assert client.create(mailbox_name(folder))[0] == "OK"
            for raw in messages:
                assert client.append(mailbox_name(folder), None, None, raw)[0] == "OK"
        finally:
            client.logout()

    def delete(self, user: str, folder: str) -> None:
        client = self.client(user)
        try:
            assert client.delete(mailbox_name(folder))[0] == "OK"
        finally:
            client.logout()

    def settings(self, user: str, folder: str = "INBOX") -> ImapSettings:
        return ImapSettings(
            host="127.0.0.1", port=self.port, user=user, password=PASSWORD, folder=folder,
            ssl=False, starttls=False, timeout=10,
        )  # fmt: skip


def _mail_owner() -> tuple[int, int]:
    """Who owns the mail: root may not (Dovecot refuses UID 0), so Dovecot's own login user."""
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    entry = pwd.getpwnam("dovenull")
    return entry.pw_uid, entry.pw_gid


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    if not Path(DOVECOT).exists():
        message = "Dovecot is not installed (apt-get install dovecot-imapd; .ci/run does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Not under pytest's own temporary folder: that one is private to us (0700), and Dovecot's
    # processes run as its own users, who must reach the password file and the mail.
    root = Path(tempfile.mkdtemp(prefix="derbes-dovecot-"))
    root.chmod(0o755)
    for name in ("run", "state", "mail"):
        (root / name).mkdir()
    uid, gid = _mail_owner()
    os.chown(root / "mail", uid, gid)
    users = ""
    if os.geteuid() != 0:  # an ordinary user runs every Dovecot process as itself
        login = os.environ.get("USER") or str(os.getuid())
        users = f"default_login_user = {login}\ndefault_internal_user = {login}"
    port = _free_port()
    (root / "passwd").write_text("".join(f"{user}:{{PLAIN}}{PASSWORD}\n" for user in USERS))
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port, uid=uid, gid=gid, users=users))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                pytest.fail(f"Dovecot exited with {process.returncode}: {log[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield Dovecot(root=root, port=port, mail_uid=uid, mail_gid=gid)
    finally:
        processes_stop([process])
        shutil.rmtree(root, ignore_errors=True)


def counts(config: ImapSettings) -> dict[str, int]:
    return imap_ingest(config).as_dict()


NOTHING = {"created": 0, "duplicates": 0, "follow_ups": 0, "failed": 0}


@pytest.mark.django_db
def test_new_mail_in_the_maildir_is_read_once(dovecot):
    user = dovecot.account()
    dovecot.deliver(user, letter(body="Прошу удалить мои данные."))
    config = dovecot.settings(user)

    first = counts(config)
    second = counts(config)
    dovecot.deliver(user, letter(body="Отзываю согласие на рассылку."))
    third = counts(config)

    assert first == {**NOTHING, "created": 1}
    assert second == NOTHING
    assert third == {**NOTHING, "created": 1}
    assert SubjectRequest.objects.count() == 2
    cursor = MailboxCursor.objects.get(user=user)
    assert (cursor.folder, cursor.last_uid) == ("INBOX", 2)


@pytest.mark.django_db
def test_a_poisonous_message_does_not_block_the_one_after_it(dovecot):
    user = dovecot.account()
    for name in ("rfc6532_utf8_sender.eml", "nul_bytes.eml", "no_sender.eml", "garbage.eml"):
        dovecot.deliver(user, (MESSAGES / name).read_bytes())
    dovecot.deliver(user, letter(body="Прошу удалить мои данные."))

    first = counts(dovecot.settings(user))
    second = counts(dovecot.settings(user))

    assert first == {**NOTHING, "created": 3, "failed": 2}
    assert second == NOTHING
    assert SubjectRequest.objects.count() + UnreadableMessage.objects.count() == 5
    assert MailboxCursor.objects.get(user=user).last_uid == 5


@pytest.mark.django_db
def test_a_cyrillic_folder_is_read_and_a_new_uidvalidity_creates_nothing(dovecot):
    user = dovecot.account()
    folder = "Обращения"
    messages = [letter(body="Прошу удалить мои данные."), letter(body="Прошу исправить фамилию.")]
    dovecot.create(user, folder, messages)
    config = dovecot.settings(user, folder)

    first = counts(config)
    dovecot.delete(user, folder)
    dovecot.create(user, folder, messages)  # the folder made again: another UIDVALIDITY
    second = counts(config)

    assert first == {**NOTHING, "created": 2}
    assert second == {**NOTHING, "duplicates": 2}
    assert SubjectRequest.objects.count() == 2
    cursors = MailboxCursor.objects.filter(user=user, folder=folder)
    assert cursors.count() == 2  # one position per UIDVALIDITY
    assert (Path(dovecot.root) / "mail" / user / "Maildir" / ".&BB4EMQRABDAESQQ1BD0EOARP-").is_dir()

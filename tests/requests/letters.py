"""Letters the tests make, beside the files in data/: other charsets, HTML only, replies."""

import base64
from datetime import datetime
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import quote

from common.workdays import ALMATY


def encoded_header(text: str, charset: str) -> str:
    return Header(text, charset).encode()


def letter(
    *,
    sender: str = "Асель Ким <asel.kim@example.kz>",
    subject: str = "Запрос",
    body: str = "Текст",
    html: str | None = None,
    charset: str = "utf-8",
    message_id: str | None = "auto",
    date: datetime | None = None,
    in_reply_to: str = "",
    attachments: tuple[tuple[str, str, bytes], ...] = (),
) -> bytes:
    """A letter as raw bytes: headers RFC 2047 encoded in `charset`, the body in it too."""
    name, address = sender.rsplit(" <", 1) if " <" in sender else ("", sender)
    address = address.rstrip(">")
    lines = [
        f"From: {encoded_header(name, charset)} <{address}>" if name else f"From: {address}",
        "To: privacy@example.org",
        f"Subject: {encoded_header(subject, charset)}",
        f"Date: {format_datetime(date or datetime(2026, 3, 19, 10, 0, tzinfo=ALMATY))}",
        "MIME-Version: 1.0",
    ]
    if message_id == "auto":
        lines.append(f"Message-ID: {make_msgid(domain='mail.example.kz')}")
    elif message_id:
        lines.append(f"Message-ID: {message_id}")
    if in_reply_to:
        lines += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    text = html if html is not None else body
    subtype = "html" if html is not None else "plain"
    payload = base64.encodebytes(text.encode(charset)).decode("ascii")
    if not attachments:
        lines += [
            f'Content-Type: text/{subtype}; charset="{charset}"',
            "Content-Transfer-Encoding: base64",
            "",
            payload,
        ]
        return "\r\n".join(lines).encode("ascii")
    boundary = "==test-boundary=="
    lines += [f'Content-Type: multipart/mixed; boundary="{boundary}"', "", f"--{boundary}",
              f'Content-Type: text/{subtype}; charset="{charset}"',
              "Content-Transfer-Encoding: base64", "", payload]  # fmt: skip
    for filename, content_type, data in attachments:
        lines += [
            f"--{boundary}",
            f"Content-Type: {content_type}",
            f"Content-Disposition: attachment; filename*=utf-8''{quote(filename)}",
            "Content-Transfer-Encoding: base64",
            "",
            base64.encodebytes(data).decode("ascii"),
        ]
    lines.append(f"--{boundary}--")
    return "\r\n".join(lines).encode("ascii")


def reply_to(sent: EmailMessage, *, sender: str, body: str) -> bytes:
    """The requester's answer to a message we sent them."""
    return letter(
        sender=sender, subject=f"Re: {sent['Subject']}", body=body,
        in_reply_to=str(sent["Message-ID"]),
    )  # fmt: skip

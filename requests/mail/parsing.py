"""One e-mail, as bytes, into what a request needs: who wrote, when, what, and the files.

Parsed with the standard library's modern policy (`email.policy.default`): RFC 2047 headers in
any charset (windows-1251, koi8-r, utf-8...) and RFC 2231 file names come out decoded. A letter
forwarded as an attachment (`message/rfc822`), or forwarded inline under a "Forwarded message"
line, is opened: the requester is its original sender, not whoever forwarded it. Card numbers are
masked everywhere, the stored .eml included.
"""

import email
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from requests.mail.cards import mask_card_numbers
from requests.mail.html_text import html_to_text

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_INLINE_FORWARD = re.compile(
    r"^-{2,}\s*(?:Forwarded message|Original Message|Пересылаемое сообщение|Исходное сообщение|"
    r"Пересланное сообщение|Жіберілген хат)\s*-{2,}\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_INLINE_FROM = re.compile(
    r"^\s*(?:From|От|Кімнен)\s*:\s*(?P<value>.+)$", re.IGNORECASE | re.MULTILINE
)
_INLINE_SUBJECT = re.compile(
    r"^\s*(?:Subject|Тема|Тақырып)\s*:\s*(?P<value>.+)$", re.IGNORECASE | re.MULTILINE
)
_FALLBACK_CHARSETS = ("utf-8", "windows-1251", "koi8-r")


class UnreadableMessageError(ValueError):
    """The bytes are not a letter a request can be made of (no sender, nothing in it)."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMessage:
    digest: str
    message_id: str
    received_at: datetime | None
    sender_name: str
    sender_email: str
    reply_to: str
    forwarded_by: str
    subject_line: str
    body: str
    emails_in_body: list[str]
    attachments: list[Attachment] = field(default_factory=list)
    raw: bytes = b""  # what is stored: the original bytes, unless card numbers had to go
    card_numbers_masked: bool = False
    in_reply_to: list[str] = field(default_factory=list)


def message_digest(*, message_id: str, raw: bytes) -> str:
    """What identifies a message however often it is read: its Message-ID, else its bytes."""
    key = f"message-id:{message_id.strip().lower()}".encode() if message_id else b"raw:" + raw
    return hashlib.sha256(key).hexdigest()


def _text(value: object) -> str:
    """A header as text; raw 8-bit headers (no RFC 2047) are tried in the usual charsets."""
    text = str(value or "")
    if any("\udc80" <= char <= "\udcff" for char in text):
        data = text.encode("utf-8", "surrogateescape")
        for charset in _FALLBACK_CHARSETS:
            try:
                return data.decode(charset)
            except UnicodeDecodeError:
                continue
        return data.decode("utf-8", "replace")
    return " ".join(text.split()) if "\n" in text else text


def _part_text(part: EmailMessage) -> str:
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        # An unknown or wrong charset label: try the usual ones on the decoded bytes.
        data = part.get_payload(decode=True) or b""
        for charset in _FALLBACK_CHARSETS:
            try:
                return data.decode(charset)  # type: ignore[union-attr]
            except UnicodeDecodeError:
                continue
        return data.decode("utf-8", "replace")  # type: ignore[union-attr]
    return text if isinstance(text, str) else text.decode("utf-8", "replace")


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _part_text(part)  # type: ignore[arg-type]
    return html_to_text(text) if part.get_content_subtype() == "html" else text.strip()


def _forwarded(message: EmailMessage) -> EmailMessage | None:
    """The first letter attached as message/rfc822, outside the chosen body."""
    for part in message.walk():
        if part is not message and part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) else inner
            if isinstance(inner, EmailMessage) and inner.get("From"):
                return inner
    return None


def _received_at(message: EmailMessage) -> datetime | None:
    """When the mailbox got it: the topmost Received header (the last hop), else the Date."""
    for header in message.get_all("Received") or []:
        stamp = str(header).rsplit(";", 1)[-1].strip()
        try:
            moment = parsedate_to_datetime(stamp)
        except (TypeError, ValueError, IndexError):
            continue
        if moment.tzinfo is not None:
            return moment
    try:
        moment = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else None


def _mask_message(message: EmailMessage) -> int:
    """Mask card numbers in every text part and in the subject lines, in place; how many."""
    masked = 0
    for part in message.walk():
        for name in ("Subject",):
            if part.get(name):
                text, count = mask_card_numbers(_text(part[name]))
                if count:
                    part.replace_header(name, text)
                    masked += count
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        text, count = mask_card_numbers(_part_text(part))
        if count:
            filename, disposition = part.get_filename(), part.get_content_disposition()
            part.set_content(
                text, subtype=part.get_content_subtype(), disposition=disposition, filename=filename
            )
            masked += count
    return masked


def _attachments(message: EmailMessage, body_parts: set[int]) -> list[Attachment]:
    found = []
    for part in message.walk():
        if part.is_multipart() or id(part) in body_parts:
            continue
        if part.get_content_type() == "message/rfc822":
            continue
        filename = part.get_filename()
        if part.get_content_disposition() != "attachment" and not filename:
            continue
        data = part.get_payload(decode=True) or b""
        found.append(
            Attachment(
                filename=mask_card_numbers(_text(filename) or "attachment")[0][:255],
                content_type=part.get_content_type(),
                data=data,  # type: ignore[arg-type]
            )
        )
    return found


def _body_parts(message: EmailMessage) -> set[int]:
    """The parts that hold the letter's text (plain and its HTML twin), not attachments."""
    ids = set()
    for subtype in ("plain", "html"):
        part = message.get_body(preferencelist=(subtype,))
        if part is not None:
            ids.add(id(part))
    return ids


def _inline_forward(body: str) -> tuple[str, str, str, str] | None:
    """(name, address, subject, text) of a letter forwarded inline, when the body holds one."""
    marker = _INLINE_FORWARD.search(body)
    if not marker:
        return None
    rest = body[marker.end() :]
    sender = _INLINE_FROM.search(rest[:1000])
    if not sender:
        return None
    name, address = parseaddr(sender.group("value"))
    if not address:
        return None
    subject = _INLINE_SUBJECT.search(rest[:1000])
    # The original text starts after the header block: the first empty line.
    text = rest.split("\n\n", 1)[1] if "\n\n" in rest else rest
    return name, address, subject.group("value").strip() if subject else "", text.strip()


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse one message. Raises UnreadableMessageError when no request can be made of it."""
    if not raw or not raw.strip():
        raise UnreadableMessageError("empty message")
    message = email.message_from_bytes(raw, policy=policy.default)
    message_id = _text(message.get("Message-ID", "")).strip()
    digest = message_digest(message_id=message_id, raw=raw)
    masked = _mask_message(message)
    stored = message.as_bytes(policy=policy.default.clone(linesep="\r\n")) if masked else raw

    _outer_name, outer_address = _address(message, "From")
    letter = _forwarded(message) or message
    name, address = _address(letter, "From")
    reply_to = _address(letter, "Reply-To")[1]
    forwarded_by = outer_address if letter is not message else ""
    subject_line = _text(letter.get("Subject", ""))
    body = _body(letter)
    if letter is message:
        inline = _inline_forward(body)
        if inline:
            name, address, inline_subject, body = inline
            forwarded_by, reply_to = outer_address, ""
            subject_line = inline_subject or subject_line
    if not address:
        raise UnreadableMessageError("the message names no sender address")
    if not (body.strip() or subject_line.strip()):
        raise UnreadableMessageError("the message has neither a subject line nor a text")
    in_reply_to = re.findall(
        r"<[^>]+>", f"{message.get('In-Reply-To', '')} {message.get('References', '')}"
    )
    return ParsedMessage(
        digest=digest,
        message_id=message_id,
        received_at=_received_at(message),
        sender_name=_text(name),
        sender_email=address.lower(),
        reply_to=reply_to.lower(),
        forwarded_by=forwarded_by.lower(),
        subject_line=subject_line[:998],
        body=body,
        emails_in_body=_emails(
            body, exclude={address.lower(), reply_to.lower(), forwarded_by.lower()}
        ),
        attachments=_attachments(message, _body_parts(letter) | _body_parts(message)),
        raw=stored,
        card_numbers_masked=bool(masked),
        in_reply_to=in_reply_to,
    )


def _address(message: EmailMessage, name: str) -> tuple[str, str]:
    """(display name, address) of the first address in a header; empty strings when none."""
    header = message.get(name)
    if header is None:
        return "", ""
    try:
        addresses = header.addresses if hasattr(header, "addresses") else ()
    except (AttributeError, IndexError, ValueError):
        addresses = ()
    if addresses:
        return _text(addresses[0].display_name), addresses[0].addr_spec
    pairs = getaddresses([_text(header)])
    return (pairs[0][0], pairs[0][1]) if pairs and pairs[0][1] else ("", "")


def _emails(body: str, *, exclude: set[str]) -> list[str]:
    found = []
    for address in _EMAIL.findall(body or ""):
        address = address.lower().rstrip(".")
        if address not in exclude and address not in found:
            found.append(address)
    return found

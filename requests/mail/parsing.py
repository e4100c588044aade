"""One e-mail, as bytes, into what a request needs: who wrote, when, what, and the files.

Parsed with the standard library's modern policy (`email.policy.default`): RFC 2047 headers in
any charset and RFC 2231 file names come out decoded; raw 8-bit headers (RFC 6532 UTF-8, or the
windows-1251/KOI8-R/KZ-1048 that older mailers send) and badly labelled bodies are decoded by
`requests.mail.charsets`. A letter forwarded as an attachment (`message/rfc822`), or forwarded
inline under a separator line (`requests.mail.forwards`), is opened: the requester is its
original sender, not whoever forwarded it. Card numbers are masked everywhere, the stored .eml
included. Text is freed of what PostgreSQL can't store (NUL characters, lone surrogates).
"""

import contextlib
import email
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from requests.mail.cards import mask_card_numbers, mask_card_numbers_in_html
from requests.mail.charsets import decode_header_bytes, decode_text, repair_mojibake
from requests.mail.forwards import inline_forward
from requests.mail.html_text import html_to_text

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_DIGEST_HEADERS = (b"from", b"to", b"cc", b"date", b"subject", b"content-type")


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
    content_digest: str = ""
    legacy_digest: str = ""  # how a letter without Message-ID was known before content digests
    attachment_to_read: bool = False  # no text: what is asked is in the attachment


def clean_text(value: str) -> str:
    """Text PostgreSQL accepts: no NUL characters, no lone surrogates (undecodable bytes)."""
    text = (value or "").replace("\x00", "")
    if any("\ud800" <= char <= "\udfff" for char in text):
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def content_digest(raw: bytes) -> str:
    """What the letter says, however it was stored: the same for its IMAP and its mbox copy.

    The headers a server or a mail store adds (Received, Return-Path, Status...), line endings,
    blank lines, trailing blanks and mbox's ">From " quoting are left out; From, To, Cc, Date,
    Subject, Content-Type and the body are in.
    """
    text = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    head, _sep, body = text.partition(b"\n\n")
    wanted: dict[bytes, bytes] = {}
    for line in re.sub(rb"\n[ \t]+", b" ", head).split(b"\n"):
        name, colon, value = line.partition(b":")
        key = name.strip().lower()
        if colon and key in _DIGEST_HEADERS and key not in wanted:
            wanted[key] = b" ".join(value.split())
    lines = [re.sub(rb"^>(>*From )", rb"\1", line).rstrip() for line in body.split(b"\n")]
    lines = [line for line in lines if line]  # mail stores add and drop blank lines
    digest = hashlib.sha256()
    for key in sorted(wanted):
        digest.update(key + b":" + wanted[key] + b"\n")
    digest.update(b"\n" + b"\n".join(lines).strip())
    return digest.hexdigest()


def message_digest(*, message_id: str, raw: bytes) -> str:
    """What identifies a message however often it is read: its Message-ID, else its content."""
    if message_id:
        return hashlib.sha256(f"message-id:{message_id.strip().lower()}".encode()).hexdigest()
    return hashlib.sha256(f"content:{content_digest(raw)}".encode()).hexdigest()


def _legacy_digest(*, message_id: str, raw: bytes) -> str:
    """The digest of a letter without Message-ID before content digests: its exact bytes."""
    if message_id:
        return message_digest(message_id=message_id, raw=raw)
    return hashlib.sha256(b"raw:" + raw).hexdigest()


def _text(value: object) -> str:
    """A header as text; raw 8-bit headers (no RFC 2047) are decoded as UTF-8 or guessed."""
    text = str(value or "")
    if any("\udc80" <= char <= "\udcff" for char in text):
        text = decode_header_bytes(text.encode("utf-8", "surrogateescape"))
    text = " ".join(text.split()) if "\n" in text or "\r" in text else text
    return clean_text(repair_mojibake(text))


def _raw_text(name: str, value: object) -> str:
    """A header value as stored, decoded; raw 8-bit bytes are decoded from the bytes (the modern
    policy would have turned each of them into U+FFFD), RFC 2047 words beside them too."""
    if not isinstance(value, str):
        return _text(value)
    if any("\udc80" <= char <= "\udcff" for char in value):
        text = decode_header_bytes(value.encode("utf-8", "surrogateescape"))
        if "=?" in text:
            with contextlib.suppress(ValueError, LookupError):
                text = str(make_header(decode_header(text)))
        return _text(text)
    try:
        return _text(policy.default.header_fetch_parse(name, value))
    except (ValueError, IndexError, AttributeError):
        return _text(value)


def _header(message: EmailMessage, name: str) -> str:
    """The first `name` header as text."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return _raw_text(key, value)
    return ""


def _part_text(part: EmailMessage) -> str:
    """The text of a text part, in the charset its label says or, where that's wrong, guessed."""
    return _part_text_and_charset(part)[0]


def _payload_bytes(part: EmailMessage) -> bytes:
    """The decoded bytes of a leaf part (base64 and quoted-printable undone)."""
    try:
        data = part.get_payload(decode=True)
    except (AssertionError, ValueError, LookupError):
        data = None
    if isinstance(data, bytes):
        return data
    return str(part.get_payload() or "").encode("utf-8", "surrogateescape")


def _part_text_and_charset(part: EmailMessage) -> tuple[str, str]:
    data = _payload_bytes(part)
    declared = part.get_param("charset")
    declared = declared if isinstance(declared, str) else None
    text, charset = decode_text(data, declared, html=part.get_content_subtype() == "html")
    return clean_text(text), charset


def _body_part(message: EmailMessage, subtype: str) -> EmailMessage | None:
    part = message.get_body(preferencelist=(subtype,))
    return part if isinstance(part, EmailMessage) else None


def _body(message: EmailMessage) -> str:
    """The letter's text: its plain part, or its HTML part when the plain one says nothing."""
    plain, html = _body_part(message, "plain"), _body_part(message, "html")
    text = _part_text(plain).strip() if plain is not None else ""
    if text or html is None:
        return text
    return html_to_text(_part_text(html))


def _forwarded(message: EmailMessage) -> EmailMessage | None:
    """The first letter attached as message/rfc822, outside the chosen body."""
    for part in message.walk():
        if part is not message and part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
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


# The headers that carry message identifiers (RFC 5322 3.6.4, RFC 2045 7): machine-made tokens
# that threading and duplicate detection match byte for byte. A mailer's id often holds a long
# random number, and one in ten such numbers passes the card check: masking it would cut a reply
# from the request it answers. Only well-formed lists of <id> are spared; anything else in them is
# text like any other header's.
_MESSAGE_ID_HEADERS = frozenset(
    ("message-id", "in-reply-to", "references", "resent-message-id", "content-id")
)
_MESSAGE_IDS = re.compile(r"\s*(?:<[^<>\s]+>[\s,]*)+")


def _is_message_ids(name: str, value: str) -> bool:
    return name.lower() in _MESSAGE_ID_HEADERS and _MESSAGE_IDS.fullmatch(value) is not None


def _mask_headers(part: EmailMessage) -> int:
    masked = 0
    raw = list(part.raw_items())
    for name in dict.fromkeys(key for key, _value in raw):
        values = [_raw_text(key, value) for key, value in raw if key == name]
        if all(_is_message_ids(name, value) for value in values):
            continue
        results = [mask_card_numbers(value) for value in values]
        count = sum(result[1] for result in results)
        if not count:
            continue
        del part[name]
        for text, _count in results:
            part[name] = text
        masked += count
    return masked


def _mask_filename(part: EmailMessage) -> int:
    filename = part.get_filename()
    if not filename:
        return 0
    text, count = mask_card_numbers(_text(filename))
    if count:
        if part.get_param("filename", header="content-disposition"):
            part.set_param("filename", text, header="Content-Disposition")
        if part.get_param("name"):
            part.set_param("name", text)
    return count


def _mask_message(message: EmailMessage) -> int:
    """Mask card numbers in every header, file name and text part, in place; how many."""
    masked = 0
    for part in message.walk():
        masked += _mask_headers(part) + _mask_filename(part)
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        text, charset = _part_text_and_charset(part)
        subtype = part.get_content_subtype()
        text, count = mask_card_numbers_in_html(text) if subtype == "html" else (text, 0)
        text, plain_count = mask_card_numbers(text)
        if count + plain_count:
            filename, disposition = part.get_filename(), part.get_content_disposition()
            # Written back in its own charset where it can be (a windows-1251 file stays one).
            try:
                text.encode(charset)
            except (UnicodeEncodeError, LookupError):
                charset = "utf-8"
            part.set_content(
                text, subtype=subtype, charset=charset, disposition=disposition, filename=filename
            )
            masked += count + plain_count
    return masked


def _attachments(message: EmailMessage, body_parts: set[int]) -> list[Attachment]:
    """Every file of the letter: parts named as files, and unnamed non-text parts (a photo of a
    signed application sent inline from a phone), outside the letter's own text."""
    found = []
    for part in message.walk():
        if part.is_multipart() or id(part) in body_parts:
            continue
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            continue
        filename = _text(part.get_filename())
        named = part.get_content_disposition() == "attachment" or filename
        if not named and part.get_content_maintype() in ("text", "multipart", "message"):
            continue
        data = _payload_bytes(part)
        if not filename:
            filename = "attachment" + (mimetypes.guess_extension(content_type) or "")
        found.append(
            Attachment(
                filename=mask_card_numbers(filename)[0][:255],
                content_type=clean_text(content_type),
                data=data,
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


def masked_copy(raw: bytes) -> tuple[bytes, int]:
    """The message with card numbers masked in its headers, file names and text parts."""
    message = email.message_from_bytes(raw, policy=policy.default)
    masked = _mask_message(message)
    if not masked:
        return raw, 0
    return message.as_bytes(policy=policy.default.clone(linesep="\r\n")), masked


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse one message. Raises UnreadableMessageError when no request can be made of it."""
    if not raw or not raw.strip():
        raise UnreadableMessageError("empty message")
    message = email.message_from_bytes(raw, policy=policy.default)
    message_id = _header(message, "Message-ID").strip()
    masked = _mask_message(message)
    stored = message.as_bytes(policy=policy.default.clone(linesep="\r\n")) if masked else raw

    _outer_name, outer_address = _address(message, "From")
    letter = _forwarded(message) or message
    name, address = _address(letter, "From")
    reply_to = _address(letter, "Reply-To")[1]
    forwarded_by = outer_address if letter is not message else ""
    subject_line = _header(letter, "Subject")
    body = _body(letter)
    if letter is message:
        inline = inline_forward(body, subject=subject_line)
        if inline is not None:
            name, address, body = inline.name, inline.address, inline.text
            forwarded_by, reply_to = outer_address, ""
            subject_line = inline.subject or subject_line
    attachments = _attachments(message, _body_parts(letter) | _body_parts(message))
    if not address:
        raise UnreadableMessageError("the message names no sender address")
    if not (body.strip() or subject_line.strip() or attachments):
        raise UnreadableMessageError("the message has neither a subject line nor a text")
    in_reply_to = re.findall(
        r"<[^>]+>", f"{message.get('In-Reply-To', '')} {message.get('References', '')}"
    )
    address, reply_to, forwarded_by = (
        clean_text(value).lower() for value in (address, reply_to, forwarded_by)
    )
    return ParsedMessage(
        digest=message_digest(message_id=message_id, raw=raw),
        legacy_digest=_legacy_digest(message_id=message_id, raw=raw),
        content_digest=content_digest(raw),
        message_id=message_id,
        received_at=_received_at(message),
        sender_name=_text(name),
        sender_email=address,
        reply_to=reply_to,
        forwarded_by=forwarded_by,
        subject_line=subject_line[:998],
        body=clean_text(body),
        emails_in_body=_emails(body, exclude={address, reply_to, forwarded_by}),
        attachments=attachments,
        raw=stored,
        card_numbers_masked=bool(masked),
        attachment_to_read=bool(attachments) and not body.strip(),
        in_reply_to=[clean_text(value) for value in in_reply_to],
    )


def _address(message: EmailMessage, name: str) -> tuple[str, str]:
    """(display name, address) of the first address in a header; empty strings when none.

    An address written in raw UTF-8 (RFC 6532) or a Cyrillic charset comes out decoded.
    """
    header = message.get(name)
    if header is None:
        return "", ""
    try:
        addresses = header.addresses if hasattr(header, "addresses") else ()
    except (AttributeError, IndexError, ValueError):
        addresses = ()
    if addresses:
        return _text(addresses[0].display_name), _text(addresses[0].addr_spec)
    pairs = getaddresses([_text(header)])
    return (pairs[0][0], pairs[0][1]) if pairs and pairs[0][1] else ("", "")


def _emails(body: str, *, exclude: set[str]) -> list[str]:
    found = []
    for address in _EMAIL.findall(body or ""):
        address = address.lower().rstrip(".")
        if address not in exclude and address not in found:
            found.append(address)
    return found

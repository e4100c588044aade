"""Requests come in: from e-mail (files or the IMAP mailbox), or registered by staff by hand.

One request per message however often it is read: a message is known by its Message-ID (or, when
it has none, by what it says) together with the digest of what it says, so a different letter that
reuses a Message-ID is a new request, flagged. A message that can't be made into a request, for
whatever reason, is kept whole as an `UnreadableMessage` for staff, never dropped. A later letter
of the requester (a reply to what we sent them) joins its request instead of opening a new one,
and restarts a paused clock.
"""

import contextlib
import hashlib
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.fields import field_label
from common.history import save_valid_with_history
from requests.mail.cards import mask_card_numbers, mask_card_numbers_in_bytes
from requests.mail.charsets import decode_text
from requests.mail.kinds import detect_language, suggest_kind
from requests.mail.names import guess_name
from requests.mail.parsing import (
    ParsedMessage,
    UnreadableMessageError,
    clean_text,
    masked_copy,
    parse_message,
)
from requests.models import (
    ActionKind,
    RequestAction,
    RequestAttachment,
    RequestChannel,
    SubjectRequest,
    UnreadableMessage,
)
from requests.selectors import request_is_paused
from requests.services.base import action_record, ensure_open, request_save
from requests.services.deadlines import due_date_refresh, request_resume, rule_apply
from requests.services.intake_files import file_save, files_in_step
from subjects.models import Subject
from subjects.representation import REPRESENTATIVE_FIELDS
from subjects.selectors import subject_find_by_email


class Outcome(StrEnum):
    CREATED = "created"
    DUPLICATE = "duplicates"
    FOLLOW_UP = "follow_ups"
    FAILED = "failed"


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    request: SubjectRequest | None = None
    unreadable: UnreadableMessage | None = None


def _masked(value: str, limit: int | None = None) -> str:
    text = mask_card_numbers(clean_text(value or ""))[0]
    return text[:limit] if limit else text


def _valid_email(address: str) -> str:
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def subjects_matching(addresses: Iterable[str]) -> list[Subject]:
    """Distinct subjects whose e-mail is one of `addresses`, in the order of the addresses."""
    found: list[Subject] = []
    for address in addresses:
        subject = subject_find_by_email(email=address) if address else None
        if subject is not None and subject not in found:
            found.append(subject)
    return found


def _match(parsed: ParsedMessage) -> tuple[Subject | None, list[Subject]]:
    """The sender's subject when the sender is known; else the one subject the letter names.

    When the letter's addresses lead to more than one subject, all of them are candidates for
    staff to choose from; the sender's own address still decides the match if it has one.
    """
    senders = subjects_matching([parsed.sender_email, parsed.reply_to])
    named = subjects_matching(parsed.emails_in_body)
    everyone = list(dict.fromkeys([*senders, *named]))
    if senders:
        return senders[0], everyone if len(everyone) > 1 else []
    if len(named) == 1:
        return named[0], []
    return None, named


def _stored_copy(raw: bytes) -> bytes:
    """What is kept of a message intake could not read: masked as a letter, else as bytes."""
    with contextlib.suppress(Exception):  # unreadable as a letter: the byte-level mask still runs
        raw = masked_copy(raw)[0]
    return mask_card_numbers_in_bytes(raw)[0]


def _keep_unreadable(
    *, raw: bytes, source: str, error: str, received_at: datetime | None
) -> IngestResult:
    digest = hashlib.sha256(b"raw:" + raw).hexdigest()
    known = UnreadableMessage.objects.filter(message_digest=digest).first()
    if known is not None:
        return IngestResult(Outcome.DUPLICATE, unreadable=known)
    kept = UnreadableMessage(
        source=_masked(source, 500),
        error=_masked(error) or "?",
        message_digest=digest,
        received_at=received_at or timezone.now(),
    )
    file_save(kept.raw_message, f"{digest[:24]}.eml", _stored_copy(raw))
    save_valid_with_history(kept, actor=None, reason=_("Kept unreadable message"))
    return IngestResult(Outcome.FAILED, unreadable=kept)


def _attach(
    subject_request: SubjectRequest,
    *,
    filename: str,
    content_type: str,
    data: bytes,
    digest: str | None = None,
    content_digest: str | None = None,
) -> RequestAttachment:
    if content_type.startswith("text/"):
        # Text files can carry card numbers as well as the letter can, in any charset.
        text, charset = decode_text(data, None, html=content_type == "text/html")
        masked, count = mask_card_numbers(text)
        if count:
            data = masked.encode(charset, errors="replace")
    filename = clean_text(filename)
    suffix = PurePath(filename).suffix[:10] if "." in filename else ""
    attachment = RequestAttachment(
        request=subject_request,
        filename=_masked(filename, 255) or "attachment",
        content_type=clean_text(content_type)[:255],
        size=len(data),
        message_digest=digest,
        content_digest=content_digest,
    )
    # A random name on disk: the person's own file name stays in the database (erasure finds it).
    file_save(attachment.file, f"{uuid.uuid4().hex}{_safe_suffix(suffix)}", data)
    save_valid_with_history(attachment, actor=None, reason=_("Received by e-mail"))
    return attachment


def _safe_suffix(suffix: str) -> str:
    return suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,9}", suffix) else ""


def _follow_up(parsed: ParsedMessage, *, source: str) -> SubjectRequest | None:
    """Attach a reply of the requester to the request we wrote to them about; None when not one."""
    if not parsed.in_reply_to:
        return None
    action = (
        RequestAction.objects.filter(message_id__in=parsed.in_reply_to)
        .exclude(message_id="")
        .select_related("request")
        .first()
    )
    if action is None:
        return None
    subject_request = action.request
    _attach(
        subject_request, filename="reply.eml", content_type="message/rfc822", data=parsed.raw,
        digest=parsed.digest, content_digest=parsed.content_digest,
    )  # fmt: skip
    for attachment in parsed.attachments:
        _attach(subject_request, filename=attachment.filename, content_type=attachment.content_type,
                data=attachment.data)  # fmt: skip
    action_record(subject_request, kind=ActionKind.FOLLOW_UP, actor=None, note=_masked(parsed.body))
    if subject_request.is_open and request_is_paused(subject_request):
        request_resume(
            subject_request=subject_request, actor=None, note=_("The requester answered.")
        )
    return subject_request


def _create(
    parsed: ParsedMessage, *, source: str, received_at: datetime | None, message_id_reused: bool
) -> SubjectRequest:
    subject, candidates = _match(parsed)
    name = guess_name(display_name=parsed.sender_name, body=parsed.body)
    kind = suggest_kind(subject_line=parsed.subject_line, body=parsed.body)
    subject_request = SubjectRequest(
        kind=kind,
        suggested_kind=kind,
        channel=RequestChannel.EMAIL,
        received_at=received_at or parsed.received_at or timezone.now(),
        language=(
            subject.preferred_language
            if subject
            else detect_language(f"{parsed.subject_line}\n{parsed.body}")
        ),
        requester_last_name=_masked(name.last, 150),
        requester_first_name=_masked(name.first, 150),
        requester_patronymic=_masked(name.patronymic, 150),
        reply_email=_valid_email(parsed.reply_to or parsed.sender_email),
        content=_masked(parsed.body),
        message_subject=_masked(parsed.subject_line, 998),
        message_digest=parsed.digest,
        content_digest=parsed.content_digest,
        message_id_reused=message_id_reused,
        forwarded_by=_valid_email(parsed.forwarded_by),
        card_numbers_masked=parsed.card_numbers_masked,
        attachment_to_read=parsed.attachment_to_read,
        subject=subject,
    )
    file_save(subject_request.raw_message, f"{parsed.digest[:24]}.eml", parsed.raw)
    rule_apply(subject_request)
    request_save(subject_request, actor=None, reason=_("Received by e-mail"))
    if candidates:
        subject_request.candidates.set(candidates)
    for attachment in parsed.attachments:
        _attach(subject_request, filename=attachment.filename, content_type=attachment.content_type,
                data=attachment.data)  # fmt: skip
    action_record(subject_request, kind=ActionKind.RECEIVED, actor=None, note=_masked(source))
    return subject_request


def _ingest(*, raw: bytes, source: str, received_at: datetime | None) -> IngestResult:
    try:
        parsed = parse_message(raw)
    except UnreadableMessageError as error:
        return _keep_unreadable(raw=raw, source=source, error=str(error), received_at=received_at)
    seen = _seen(parsed)
    if seen.known:
        return IngestResult(Outcome.DUPLICATE)
    subject_request = _follow_up(parsed, source=source)
    if subject_request is not None:
        return IngestResult(Outcome.FOLLOW_UP, request=subject_request)
    subject_request = _create(
        parsed, source=source, received_at=received_at, message_id_reused=seen.message_id_reused
    )
    return IngestResult(Outcome.CREATED, request=subject_request)


def message_ingest(*, raw: bytes, source: str, received_at: datetime | None = None) -> IngestResult:
    """Make one message into a request (or a follow-up of one), or keep it as unreadable.

    Never drops a message: whatever goes wrong while reading or storing it (a parser error, a
    value the database refuses) is undone, files included, and the message is kept whole as an
    unreadable message with the error. Only a failure to keep even that (the database is gone)
    raises, so the caller's read position does not move past a message that is nowhere.

    `source` says where it was read (a file, an IMAP folder), never who wrote it. `received_at`
    is the mailbox's own time of receipt when known (IMAP INTERNALDATE); otherwise the topmost
    Received header, then the Date header, then now.
    """
    try:
        with files_in_step(), transaction.atomic():
            return _ingest(raw=raw, source=source, received_at=received_at)
    except (InterfaceError, OperationalError):
        raise  # the connection is gone: nothing can be kept, the run must stop here
    except Exception as error:  # any error: the message becomes unreadable
        if isinstance(error, IntegrityError) and _known_raw(raw):
            return IngestResult(Outcome.DUPLICATE)  # another intake run took it a moment ago
        reason = (
            "; ".join(error.messages)
            if isinstance(error, ValidationError)
            else f"{type(error).__name__}: {error}"
        )
    with files_in_step(), transaction.atomic():
        return _keep_unreadable(raw=raw, source=source, error=reason, received_at=received_at)


@dataclass(frozen=True)
class _Seen:
    known: bool  # this letter was read before
    message_id_reused: bool  # another letter with its Message-ID was


def _seen(parsed: ParsedMessage) -> _Seen:
    """Whether this letter was read before (the same Message-ID with the same content), and
    whether another letter came with its Message-ID. Two queries, however it turns out.

    Requests read before content digests existed have none: their Message-ID alone decides.
    """
    digests = {parsed.digest, parsed.legacy_digest}
    pairs = [
        *SubjectRequest.objects.filter(message_digest__in=digests).values_list(
            "message_digest", "content_digest"
        ),
        *RequestAttachment.objects.filter(message_digest__in=digests).values_list(
            "message_digest", "content_digest"
        ),
    ]
    return _Seen(
        known=any(content in (None, parsed.content_digest) for _digest, content in pairs),
        message_id_reused=bool(parsed.message_id)
        and any(
            digest == parsed.digest and content not in (None, parsed.content_digest)
            for digest, content in pairs
        ),
    )


def _known_raw(raw: bytes) -> bool:
    try:
        return _seen(parse_message(raw)).known
    except Exception:  # unreadable: it is not known as a request
        return False


REGISTER_FIELDS = (
    "kind", "channel", "received_at", "language", "requester_last_name", "requester_first_name",
    "requester_patronymic", "reply_email", "reply_postal_address", "content", "subject",
    "assignee", *REPRESENTATIVE_FIELDS,
)  # fmt: skip


@transaction.atomic
def request_register(*, actor: User, reason: str, data: Mapping[str, Any]) -> SubjectRequest:
    """Register a request that came by post, in person or through the site, as staff typed it.

    Staff read the letter themselves, so the kind they choose is confirmed at once.
    """
    unknown = set(data) - set(REGISTER_FIELDS)
    if unknown:
        raise ValueError(f"not registrable: {sorted(unknown)}")
    subject_request = SubjectRequest(**data)
    subject_request.suggested_kind = subject_request.kind
    subject_request.kind_confirmed_at, subject_request.kind_confirmed_by = timezone.now(), actor
    if subject_request.subject is not None and "language" not in data:
        subject_request.language = subject_request.subject.preferred_language
    rule_apply(subject_request)
    request_save(subject_request, actor=actor, reason=reason)
    channel = str(subject_request.get_channel_display())
    action_record(subject_request, kind=ActionKind.RECEIVED, actor=actor, note=channel)
    return subject_request


EDITABLE_FIELDS = (
    "kind", "language", "requester_last_name", "requester_first_name", "requester_patronymic",
    "reply_email", "reply_postal_address", "content", "subject", "assignee",
    *REPRESENTATIVE_FIELDS,
)  # fmt: skip


@transaction.atomic
def request_update(
    *,
    subject_request: SubjectRequest,
    actor: User,
    reason: str,
    data: Mapping[str, Any],
) -> SubjectRequest:
    """Change what staff may change on a request.

    Choosing the kind confirms it; a different kind brings its own deadline rule, counted from the
    same receipt. Names of the changed fields go into the request's log, never their values.
    """
    ensure_open(subject_request)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    changed = [name for name, value in data.items() if getattr(subject_request, name) != value]
    for name in changed:
        setattr(subject_request, name, data[name])
    confirming = "kind" in data and (not subject_request.kind_confirmed or "kind" in changed)
    if confirming:
        subject_request.kind_confirmed_at, subject_request.kind_confirmed_by = timezone.now(), actor
    if "kind" in changed and not subject_request.refusal_reason:
        rule_apply(subject_request)
    if not (changed or confirming):
        return subject_request
    due_date_refresh(subject_request)
    request_save(subject_request, actor=actor, reason=reason)
    if changed:
        labels = [field_label(SubjectRequest, name) for name in changed]
        action_record(subject_request, kind=ActionKind.UPDATED, actor=actor, note=", ".join(labels))
    if confirming:
        action_record(
            subject_request,
            kind=ActionKind.KIND_CONFIRMED,
            actor=actor,
            note=str(subject_request.get_kind_display()),
        )
    return subject_request


@transaction.atomic
def request_kind_confirm(
    *, subject_request: SubjectRequest, actor: User, kind: str | None = None
) -> SubjectRequest:
    """Confirm the suggested kind (or choose another) in one click."""
    return request_update(
        subject_request=subject_request,
        actor=actor,
        reason=_("Kind confirmed"),
        data={"kind": kind or subject_request.kind},
    )


def requests_kind_confirm(*, requests: QuerySet[SubjectRequest], actor: User) -> int:
    """Confirm the suggested kind of each open request still waiting for it; how many were.

    Each request is confirmed in its own transaction, as one click on its page would.
    """
    confirmed = 0
    for subject_request in requests.filter(kind_confirmed_at__isnull=True):
        if subject_request.is_open:
            request_kind_confirm(subject_request=subject_request, actor=actor)
            confirmed += 1
    return confirmed

"""Messages intake could not read: tried again after a fix, or registered by hand."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from common.history import save_with_history
from requests.mail.parsing import parse_message
from requests.models import SubjectRequest, UnreadableMessage
from requests.services.intake import Outcome, message_ingest
from requests.services.intake_files import files_in_step


def unreadable_retry(*, message: UnreadableMessage, actor: User | None) -> SubjectRequest | None:
    """Read a kept message again (say, after the parser learned something); link the request made.

    The kept message stays, as what arrived; it now points at its request.
    """
    with files_in_step(), transaction.atomic():
        return _retry(message=message, actor=actor)


def _retry(*, message: UnreadableMessage, actor: User | None) -> SubjectRequest | None:
    if message.request_id is not None:
        return message.request
    with message.raw_message.open("rb") as handle:
        raw = handle.read()
    try:
        parse_message(raw)
    except Exception:
        return None
    result = message_ingest(raw=raw, source=message.source, received_at=message.received_at)
    if result.outcome not in (Outcome.CREATED, Outcome.FOLLOW_UP) or result.request is None:
        return None
    message.request = result.request
    message.full_clean()
    save_with_history(message, actor=actor, reason=_("Read again"))
    return result.request

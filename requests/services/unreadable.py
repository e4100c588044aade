"""Messages intake could not read: tried again after a fix, or registered by hand."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from common.history import save_valid_with_history
from requests.mail.parsing import parse_message
from requests.models import SubjectRequest, UnreadableMessage
from requests.services.base import RequestError
from requests.services.intake import Outcome, message_ingest
from requests.services.intake_files import files_in_step


def unreadable_retry(*, message: UnreadableMessage, actor: User | None) -> SubjectRequest:
    """Read a kept message again (say, after the parser learned something); link the request made.

    The kept message stays, as what arrived; it now points at its request. A message that still
    can't be read is refused with the reason (and not kept a second time).
    """
    with files_in_step(), transaction.atomic():
        return _retry(message=message, actor=actor)


def _retry(*, message: UnreadableMessage, actor: User | None) -> SubjectRequest:
    if message.request is not None:  # read again already (no query when it is not)
        return message.request
    with message.raw_message.open("rb") as handle:
        raw = handle.read()
    try:
        parse_message(raw)
    except Exception as error:  # any parser failure is what "unreadable" means (as at intake)
        raise RequestError(
            _("The message still can't be read: %(error)s"),
            code="unreadable",
            params={"error": str(error) or type(error).__name__},
        ) from error
    result = message_ingest(raw=raw, source=message.source, received_at=message.received_at)
    if result.outcome not in (Outcome.CREATED, Outcome.FOLLOW_UP) or result.request is None:
        raise RequestError(
            _("The message was read, but it made no request (it is already a request's letter)."),
            code=str(result.outcome),
        )
    message.request = result.request
    save_valid_with_history(message, actor=actor, reason=_("Read again"))
    return result.request

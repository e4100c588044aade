"""Receiving a Tilda submission: the credentials, and storing it before anything else.

Storing is one statement (webforms.storing) on PostgreSQL: the row and its history row. Tilda gets
its "ok" once that has committed.
"""

import hmac
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from common.history import save_with_history
from webforms.models import SubmissionState, TildaSubmission
from webforms.storing import STORE_REASON, submission_insert

ONCE_PER_TRANID = "tildasubmission_once_per_tranid"


def _one_of(value: str, configured: Iterable[str]) -> bool:
    """Whether `value` is one of the configured (non-empty) values, compared in constant time.

    Every configured value is compared, so the time taken says nothing about which matched.
    """
    candidate = value.encode()
    matched = False
    for known in configured:
        matched |= bool(known) and hmac.compare_digest(candidate, known.encode())
    return matched


def webhook_secret_valid(secret: str) -> bool:
    """Whether `secret` is one of the configured ones (compared in constant time)."""
    return _one_of(secret, settings.TILDA_WEBHOOK_SECRETS)


def webhook_api_key_valid(key: str) -> bool:
    """Tilda's optional API key: any key is fine when none is configured."""
    if not settings.TILDA_WEBHOOK_API_KEYS:
        return True
    return _one_of(key, settings.TILDA_WEBHOOK_API_KEYS)


def _violated_constraint(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", "") or str(error)


def submission_store(
    *,
    body: bytes,
    body_size: int,
    formid: str = "",
    tranid: str = "",
    state: str = SubmissionState.RECEIVED,
    state_reason: str = "",
) -> TildaSubmission | None:
    """Keep what Tilda sent, before anything is done with it; None when it is already held.

    Once per (formid, tranid): the unique constraint decides, so concurrent retries of one
    submission store exactly one row whichever commits first.
    """
    submission = TildaSubmission(
        formid=formid,
        tranid=tranid,
        received_at=timezone.now(),
        body=body,
        body_size=body_size,
        state=state,
        state_reason=state_reason,
    )
    if connection.vendor == "postgresql":
        # One statement, one round trip: the answer to Tilda waits for this alone.
        submission.pk = submission_insert(submission)
        if submission.pk is None:
            return None
        submission._state.adding = False
        return submission
    try:
        with transaction.atomic():
            save_with_history(submission, actor=None, reason=STORE_REASON)
    except IntegrityError as error:
        if ONCE_PER_TRANID in _violated_constraint(error):
            return None
        raise
    return submission

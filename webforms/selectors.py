"""Reads over Tilda submissions."""

from datetime import timedelta
from urllib.parse import unquote_to_bytes

from django.db.models import Count
from django.utils import timezone

from common.mentions import Mentions
from webforms.models import SubmissionState, TildaSubmission

STALE_AFTER = timedelta(minutes=15)


def submissions_waiting() -> dict[str, int]:
    """For the admin index: forms that need a mapping, and submissions held or failed."""
    counts = dict(
        TildaSubmission.objects.filter(
            state__in=(SubmissionState.HELD, SubmissionState.FAILED, SubmissionState.REJECTED)
        )
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    unmapped = (
        TildaSubmission.objects.filter(state=SubmissionState.NEEDS_MAPPING)
        .values("formid")
        .distinct()
        .count()
    )
    # Stored and never applied: a worker died, or the command that applies them is not running.
    stale = TildaSubmission.objects.filter(
        state=SubmissionState.RECEIVED, received_at__lt=timezone.now() - STALE_AFTER
    ).count()
    waiting = (SubmissionState.HELD, SubmissionState.FAILED, SubmissionState.REJECTED)
    return {
        "unmapped_forms": unmapped,
        "stale": stale,
        **{state: counts.get(state, 0) for state in waiting},
    }


def submissions_received(*, limit: int) -> list[TildaSubmission]:
    """Stored submissions not yet applied, oldest first (each is locked when it is applied)."""
    return list(
        TildaSubmission.objects.filter(state=SubmissionState.RECEIVED).order_by(
            "received_at", "pk"
        )[:limit]
    )


def unlinked_submissions_naming(mentions: Mentions) -> set[int]:
    """Submissions linked to no subject whose body names the person: stored and not yet applied,
    waiting for a mapping, held without a contact, or failed. Few are kept at once. The body is
    read as text however it was encoded (an unreadable one too: it is kept byte for byte)."""
    if not mentions:
        return set()
    unlinked = TildaSubmission.objects.filter(subject=None).exclude(body=None)
    return {
        pk
        for pk, body in unlinked.values_list("pk", "body").iterator(chunk_size=2_000)
        if body is not None and mentions.in_bytes(unquote_to_bytes(bytes(body).replace(b"+", b" ")))
    }

"""Reads over Tilda submissions."""

from django.db.models import Count

from webforms.models import SubmissionState, TildaSubmission


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
    return {"unmapped_forms": unmapped, **{state: counts.get(state, 0) for state in (
        SubmissionState.HELD, SubmissionState.FAILED, SubmissionState.REJECTED)}}  # fmt: skip


def submissions_received(*, limit: int) -> list[TildaSubmission]:
    """Stored submissions not yet applied, oldest first (each is locked when it is applied)."""
    return list(
        TildaSubmission.objects.filter(state=SubmissionState.RECEIVED).order_by(
            "received_at", "pk"
        )[:limit]
    )

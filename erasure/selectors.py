from erasure.models import ErasureLog, ErasureOutcome
from subjects.models import Subject, SubjectState


def erasure_of(subject: Subject) -> ErasureLog | None:
    """The erasure that erased this subject (the latest, after a replay), with its actor."""
    if subject.state != SubjectState.ERASED:
        return None
    return (
        ErasureLog.objects.filter(subject=subject, outcome=ErasureOutcome.ERASED)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )

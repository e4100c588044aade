from django.db.models import QuerySet

from subjects.models import Subject, SubjectState


def subject_find_by_email(*, email: str) -> Subject | None:
    """The subject with this e-mail, compared case-insensitively as the unique constraint does."""
    return Subject.objects.filter(email__iexact=(email or "").strip()).first()


def subjects_writable() -> QuerySet[Subject]:
    """Subjects that may still be written to or linked to new records (see
    subjects.services.subject_is_erased): every one but the erased."""
    return Subject.objects.exclude(state=SubjectState.ERASED)

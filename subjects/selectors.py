from subjects.models import Subject


def subject_find_by_email(*, email: str) -> Subject | None:
    """The subject with this e-mail, compared case-insensitively as the unique constraint does."""
    return Subject.objects.filter(email__iexact=(email or "").strip()).first()

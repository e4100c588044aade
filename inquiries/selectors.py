"""Reads over the inquiry log."""

from django.db.models import Count, Q
from django.utils import timezone

from inquiries.models import AuthorityInquiry


def inquiry_counts() -> dict[str, int]:
    """Unanswered inquiries, and how many of them are past their due date: one query."""
    return AuthorityInquiry.objects.filter(answered_on__isnull=True).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate()))
    )

"""The desk's box of transfer notices (Art. 19(1)): how many are due, how many are overdue."""

from django import template
from django.http import HttpRequest
from django.urls import reverse

from processors.notices import notices_due_counts

register = template.Library()


@register.inclusion_tag("admin/processors/notices_due.html", takes_context=True)
def transfer_notices_due(context: template.Context) -> dict:
    request: HttpRequest = context["request"]
    if not request.user.has_perm("processors.view_transfernotice"):
        return {"show": False}
    counts = notices_due_counts()
    changelist = reverse("admin:processors_transfernotice_changelist")
    return {
        "show": bool(counts["pending"]),
        "counts": counts,
        "links": {due: f"{changelist}?due={due}" for due in ("pending", "overdue")},
    }

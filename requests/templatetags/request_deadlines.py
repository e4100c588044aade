"""The deadlines box of the admin index: overdue, late, today, next five working days."""

from django import template
from django.http import HttpRequest
from django.urls import reverse

from requests.selectors import deadline_counts, due_horizon

register = template.Library()


@register.inclusion_tag("admin/requests/deadlines.html", takes_context=True)
def request_deadlines(context: template.Context) -> dict:
    request: HttpRequest = context["request"]
    if not request.user.has_perm("requests.view_subjectrequest"):
        return {"show": False}
    horizon = due_horizon()
    counts = deadline_counts(horizon=horizon)
    changelist = reverse("admin:requests_subjectrequest_changelist")
    return {
        "show": True,
        "horizon": horizon,
        "counts": counts,
        "links": {
            "overdue": f"{changelist}?due=overdue",
            "late": f"{changelist}?due=late",
            "today": f"{changelist}?due=today",
            "week": f"{changelist}?due=week",
            "awaiting_kind": f"{changelist}?kind_confirmed=no",
        },
    }

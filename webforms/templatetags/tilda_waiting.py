"""The Tilda box of the admin index: forms that need a mapping, submissions waiting for staff."""

from django import template
from django.http import HttpRequest
from django.urls import reverse

from webforms.selectors import submissions_waiting

register = template.Library()


@register.inclusion_tag("admin/webforms/waiting.html", takes_context=True)
def tilda_waiting(context: template.Context) -> dict:
    request: HttpRequest = context["request"]
    if not request.user.has_perm("webforms.view_tildasubmission"):
        return {"show": False}
    counts = submissions_waiting()
    changelist = reverse("admin:webforms_tildasubmission_changelist")
    return {
        "show": any(counts.values()),
        "counts": counts,
        "links": {state: f"{changelist}?state={state}" for state in (
            "needs_mapping", "received", "held", "failed", "rejected")},
    }  # fmt: skip

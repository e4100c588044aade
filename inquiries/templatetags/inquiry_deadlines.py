"""The desk's box of state bodies' inquiries waiting for an answer, the overdue in red."""

from django import template
from django.http import HttpRequest
from django.urls import reverse

from inquiries.selectors import inquiry_counts

register = template.Library()


@register.inclusion_tag("admin/inquiries/deadlines.html", takes_context=True)
def inquiry_deadlines(context: template.Context) -> dict:
    request: HttpRequest = context["request"]
    if not request.user.has_perm("inquiries.view_authorityinquiry"):
        return {"show_inquiries": False}
    changelist = reverse("admin:inquiries_authorityinquiry_changelist")
    return {
        "show_inquiries": True,
        "inquiry_counts": inquiry_counts(),
        "inquiry_links": {"open": f"{changelist}?answer=open",
                          "overdue": f"{changelist}?answer=overdue"},
    }  # fmt: skip

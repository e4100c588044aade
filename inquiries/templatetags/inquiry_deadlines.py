"""The desk's box of state bodies' inquiries waiting for an answer, the overdue in red."""

from django import template

from common.index_boxes import box_shown_to, changelist_links
from inquiries.selectors import inquiry_counts

register = template.Library()


@register.inclusion_tag("admin/inquiries/deadlines.html", takes_context=True)
def inquiry_deadlines(context: template.Context) -> dict:
    if not box_shown_to(context, "inquiries.view_authorityinquiry"):
        return {"show_inquiries": False}
    return {
        "show_inquiries": True,
        "inquiry_counts": inquiry_counts(),
        "inquiry_links": changelist_links(
            "admin:inquiries_authorityinquiry_changelist",
            {"open": "answer=open", "overdue": "answer=overdue"},
        ),
    }

"""The desk's box of state bodies' inquiries waiting for an answer, the overdue in red."""

from django import template
from django.utils.translation import gettext as _

from common.index_boxes import NO_BOX, BoxRow, box_shown_to, changelist_links, index_box
from inquiries.selectors import inquiry_counts

register = template.Library()


@register.inclusion_tag("admin/index_box.html", takes_context=True)
def inquiry_deadlines(context: template.Context) -> dict:
    if not box_shown_to(context, "inquiries.view_authorityinquiry"):
        return NO_BOX
    counts = inquiry_counts()
    if not counts["open"]:
        return NO_BOX
    links = changelist_links(
        "admin:inquiries_authorityinquiry_changelist",
        {"open": "answer=open", "overdue": "answer=overdue"},
    )
    return index_box(
        "inquiry-deadlines",
        _("Inquiries of state bodies: answers due"),
        [
            BoxRow(_("Not answered"), counts["open"], links["open"]),
            BoxRow(_("Overdue"), counts["overdue"], links["overdue"], alert=counts["overdue"] > 0),
        ],
    )

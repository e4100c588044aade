"""The desk's box of state bodies' inquiries waiting for an answer, the overdue in red."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from common.index_boxes import BoxRow, changelist_links, index_box, index_box_tag
from inquiries.selectors import inquiry_counts

register = template.Library()


@index_box_tag(register, "inquiries.view_authorityinquiry")
def inquiry_deadlines() -> dict[str, Any]:
    counts = inquiry_counts()
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

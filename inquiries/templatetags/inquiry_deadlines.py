"""The desk's box of state bodies' inquiries waiting for an answer, the overdue in red."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from common.index_boxes import BoxRow, index_box, index_box_tag
from inquiries.models import AuthorityInquiry
from inquiries.selectors import inquiry_counts

register = template.Library()


@index_box_tag(register, AuthorityInquiry, {"open": "answer=open", "overdue": "answer=overdue"})
def inquiry_deadlines(links: dict[str, str]) -> dict[str, Any]:
    counts = inquiry_counts()
    return index_box(
        "inquiry-deadlines",
        _("Inquiries of state bodies: answers due"),
        [
            BoxRow(_("Not answered"), counts["open"], links["open"]),
            BoxRow(_("Overdue"), counts["overdue"], links["overdue"], alert=counts["overdue"] > 0),
        ],
    )

"""The Tilda box of the admin index: forms that need a mapping, submissions waiting for staff."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from common.index_boxes import BoxRow, index_box, index_box_tag
from webforms.models import TildaSubmission
from webforms.selectors import submissions_waiting

register = template.Library()

WAITING = ("needs_mapping", "received", "held", "failed", "rejected")


@index_box_tag(register, TildaSubmission, {state: f"state={state}" for state in WAITING})
def tilda_waiting(links: dict[str, str]) -> dict[str, Any]:
    counts = submissions_waiting()
    unmapped, stale = counts["unmapped_forms"], counts["stale"]
    return index_box(
        "tilda-waiting",
        _("Site forms (Tilda): waiting for staff"),
        [
            BoxRow(
                _("Forms that need a mapping"), unmapped, links["needs_mapping"], alert=unmapped > 0
            ),
            BoxRow(_("Submissions held for staff"), counts["held"], links["held"]),
            BoxRow(_("Submissions that failed"), counts["failed"], links["failed"]),
            BoxRow(
                _("Submissions not applied for 15 minutes"),
                stale,
                links["received"],
                alert=stale > 0,
            ),
            BoxRow(_("Unreadable submissions"), counts["rejected"], links["rejected"]),
        ],
    )

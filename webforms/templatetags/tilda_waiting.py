"""The Tilda box of the admin index: forms that need a mapping, submissions waiting for staff."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from common.index_boxes import BoxRow, changelist_links, index_box, index_box_tag
from webforms.selectors import submissions_waiting

register = template.Library()


@index_box_tag(register, "webforms.view_tildasubmission")
def tilda_waiting() -> dict[str, Any]:
    counts = submissions_waiting()
    states = ("needs_mapping", "received", "held", "failed", "rejected")
    links = changelist_links(
        "admin:webforms_tildasubmission_changelist", {s: f"state={s}" for s in states}
    )
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

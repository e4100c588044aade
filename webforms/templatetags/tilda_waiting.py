"""The Tilda box of the admin index: forms that need a mapping, submissions waiting for staff."""

from django import template

from common.index_boxes import box_shown_to, changelist_links
from webforms.selectors import submissions_waiting

register = template.Library()


@register.inclusion_tag("admin/webforms/waiting.html", takes_context=True)
def tilda_waiting(context: template.Context) -> dict:
    if not box_shown_to(context, "webforms.view_tildasubmission"):
        return {"show": False}
    counts = submissions_waiting()
    states = ("needs_mapping", "received", "held", "failed", "rejected")
    return {
        "show": any(counts.values()),
        "counts": counts,
        "links": changelist_links(
            "admin:webforms_tildasubmission_changelist", {s: f"state={s}" for s in states}
        ),
    }

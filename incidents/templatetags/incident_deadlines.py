"""The breach box of the admin index: open incidents by time left to notify, overdue in red."""

from django import template

from common.index_boxes import box_shown_to, changelist_links
from incidents.selectors import incident_counts, open_incidents_by_time_left

register = template.Library()

SHOWN = 10


@register.inclusion_tag("admin/incidents/deadlines.html", takes_context=True)
def incident_deadlines(context: template.Context) -> dict:
    if not box_shown_to(context, "incidents.view_incident"):
        return {"show_incidents": False}
    return {
        # Names of their own: the index's context also holds the request box's "counts".
        "show_incidents": True,
        "incident_items": open_incidents_by_time_left(limit=SHOWN),
        "incident_counts": incident_counts(),
        "incident_links": changelist_links(
            "admin:incidents_incident_changelist",
            {state: f"state__exact={state}" for state in ("open", "notified")},
        ),
    }

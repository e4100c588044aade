"""The breach box of the admin index: open incidents by time left to notify, overdue in red."""

from django import template
from django.http import HttpRequest
from django.urls import reverse

from incidents.selectors import incident_counts, open_incidents_by_time_left

register = template.Library()

SHOWN = 10


@register.inclusion_tag("admin/incidents/deadlines.html", takes_context=True)
def incident_deadlines(context: template.Context) -> dict:
    request: HttpRequest = context["request"]
    if not request.user.has_perm("incidents.view_incident"):
        return {"show_incidents": False}
    changelist = reverse("admin:incidents_incident_changelist")
    return {
        # Names of their own: the index's context also holds the request box's "counts".
        "show_incidents": True,
        "incident_items": open_incidents_by_time_left(limit=SHOWN),
        "incident_counts": incident_counts(),
        "incident_links": {
            "open": f"{changelist}?state__exact=open",
            "notified": f"{changelist}?state__exact=notified",
        },
    }

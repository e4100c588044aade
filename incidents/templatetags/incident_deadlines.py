"""The breach box of the admin index: open incidents by time left to notify, overdue in red."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from common.index_boxes import BoxRow, index_box, index_box_tag
from incidents.models import Incident
from incidents.selectors import OpenIncident, incident_counts, open_incidents_by_time_left

register = template.Library()

SHOWN = 10
LISTED_STATES = ("open", "notified")


def _time_left(item: OpenIncident) -> str:
    if item.overdue:
        return _("overdue by %(hours)s h") % {"hours": item.hours_overdue}
    if item.time_left is None:
        return "—"
    return _("%(hours)s h left") % {"hours": item.hours_left}


@index_box_tag(
    register, Incident, {state: f"state__exact={state}" for state in ("open", "notified")}
)
def incident_deadlines(links: dict[str, str]) -> dict[str, Any]:
    counts = incident_counts()
    incidents = [
        BoxRow(
            f"#{item.incident.pk} {item.incident.get_kind_display()}",
            _time_left(item),
            reverse("admin:incidents_incident_change", args=[item.incident.pk]),
            alert=item.overdue,
        )
        for item in open_incidents_by_time_left(limit=SHOWN)
    ]
    return index_box(
        "incident-deadlines",
        _("Breaches: notice to the authorised body"),
        [
            BoxRow(
                _("Open, not yet notified"),
                counts["open"],
                links["open"],
                alert=counts["overdue"] > 0,
            ),
            *incidents,
            BoxRow(_("Notified, not yet closed"), counts["notified"], links["notified"]),
        ],
        shown_empty=True,
    )

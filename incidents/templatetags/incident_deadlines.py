"""The breach box of the admin index: open incidents by time left to notify, overdue in red."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from common.index_boxes import BoxRow, changelist_links, index_box, index_box_tag
from incidents.selectors import OpenIncident, incident_counts, open_incidents_by_time_left

register = template.Library()

SHOWN = 10


def _time_left(item: OpenIncident) -> str:
    if item.overdue:
        return _("overdue by %(hours)s h") % {"hours": item.hours_overdue}
    if item.time_left is None:
        return "—"
    return _("%(hours)s h left") % {"hours": item.hours_left}


@index_box_tag(register, "incidents.view_incident")
def incident_deadlines() -> dict[str, Any]:
    counts = incident_counts()
    links = changelist_links(
        "admin:incidents_incident_changelist",
        {state: f"state__exact={state}" for state in ("open", "notified")},
    )
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

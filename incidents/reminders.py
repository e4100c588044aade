"""The daily reminder of open breach incidents, part of `remind_due_requests`.

Every open incident is due within a working day of its detection, so each one is reminded of,
soonest deadline first and overdue ones marked, once a day, to the responsible person's address
(the operator profile). Registered with the requests' reminder command at ready().
"""

import smtplib
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.workdays import local_date
from incidents.models import IncidentReminder
from incidents.selectors import OpenIncident, open_incidents_by_time_left
from organisation.selectors import operator_profile_get
from requests.services.reminders import ReminderNotSent


def _line(item: OpenIncident) -> str:
    incident = item.incident
    link = settings.PUBLIC_BASE_URL + reverse("admin:incidents_incident_change", args=[incident.pk])
    due = formats.date_format(incident.due_date, "DATE_FORMAT") if incident.due_date else "—"
    if item.overdue:
        when = _("OVERDUE: the authorised body was to be notified by %(date)s") % {"date": due}
    else:
        when = _("notify the authorised body by %(date)s (%(hours)d h left)") % {
            "date": due,
            "hours": item.hours_left or 0,
        }
    return f"#{incident.pk} {incident.get_kind_display()}: {when}\n  {link}"


@transaction.atomic
def incident_reminders_send() -> str:
    """E-mail the responsible person about every open incident not yet reminded of today."""
    today = local_date(timezone.now())
    operator = operator_profile_get()
    address = operator.responsible_person_email if operator else ""
    open_items = open_incidents_by_time_left()
    if not address:
        return f"{len(open_items)} open incident(s); no responsible person's e-mail to remind."
    items = []
    already = 0
    for item in open_items:
        _reminder, created = IncidentReminder.objects.get_or_create(
            incident=item.incident, sent_on=today
        )
        if created:
            items.append(item)
        else:
            already += 1
    if not items:
        return f"0 incident reminder(s); {already} already reminded today."
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(count)d breach incident awaits its notice to the authorised body",
            "%(count)d breach incidents await their notice to the authorised body",
            len(items),
        ) % {"count": len(items)}
        body = "\n\n".join(_line(item) for item in items) + "\n"
    ids = [item.incident.pk for item in items]
    transaction.on_commit(lambda: _deliver(subject, body, address, ids, today))
    return f"1 e-mail about {len(items)} open incident(s); {already} already reminded today."


def _deliver(subject: str, body: str, address: str, incident_ids: list[int], today: date) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        # Not sent: forget today's mark, so that the next run tries again.
        IncidentReminder.objects.filter(incident_id__in=incident_ids, sent_on=today).delete()
        raise ReminderNotSent(f"{address}: {error}") from error

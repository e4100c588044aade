"""History pages an auditor can read: labels instead of codes, who acted instead of "None".

simple-history shows a change as the stored values (`received → in_progress`), the writer as
"None" when no staff user acted, and the reason as the service wrote it. Here a value with
choices is shown by its label, a yes/no field as yes/no, a time in local time; a row with no
user is said to come from the subject's unsubscribe link, an import, or the system; a reason
that is one of the project's fixed messages is shown in the reader's language.
"""

import re
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

# A reason the import service writes: "... “FILE” (SHA-256 ...)", in whatever language it was.
IMPORT_REASON = re.compile(r"“(?P<file>[^”]+)”\s*\(SHA-256 [0-9a-f]+\)")
UNSUBSCRIBE_REASON = "Unsubscribe link"
# A reason the incident services write: "WHAT (incident #N)", WHAT in the writer's language.
INCIDENT_REASON = re.compile(r"(?P<what>.+) \(incident #(?P<number>\d+)\)")


def readable_value(field: Any, value: Any) -> str:
    """A stored value as a reader sees it: a choice's label, yes/no, a local time, "—"."""
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return str(value)


def readable_reason(reason: str | None) -> str:
    """The reason in the reader's language when it is one of the project's fixed messages, or
    one of them said of an incident (incidents.services.reason_for)."""
    if not reason:
        return "—"
    about_incident = INCIDENT_REASON.fullmatch(reason)
    if about_incident:
        incident = _("incident #%(number)s") % {"number": about_incident["number"]}
        return f"{gettext(about_incident['what'])} ({incident})"
    return gettext(reason)


def history_actor(user: Any, reason: str | None) -> str:
    """Who wrote a history row: the user, else what acted without one."""
    if user is not None:
        return str(user.get_full_name() or user.get_username())
    reason = reason or ""
    if reason == UNSUBSCRIBE_REASON or reason == gettext(UNSUBSCRIBE_REASON):
        return str(_("the subject (unsubscribe link)"))
    imported = IMPORT_REASON.search(reason)
    if imported:
        return str(_("system (import of %(file)s)") % {"file": imported["file"]})
    return str(_("system"))


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """simple-history's change list of a history row, with values as labels (see module doc)."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            return super().prepare_delta_change_value(change, value)
        return readable_value(field, value)

"""Deadline reminders: each assignee gets one e-mail a day about their requests due soon."""

import smtplib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisation.selectors import operator_profile_get
from requests.models import RequestReminder, SubjectRequest
from requests.selectors import DueHorizon, due_horizon, requests_to_remind

# Apps above `requests` add their own daily reminders here at ready(): each part sends its
# e-mails and returns one line for the command's output. `requests` imports none of them.
reminder_parts: list[Callable[[], str]] = []


def add_reminder_part(part: Callable[[], str]) -> Callable[[], str]:
    if part not in reminder_parts:
        reminder_parts.append(part)
    return part


@dataclass
class ReminderCounts:
    emails: int = 0
    requests: int = 0
    already_reminded: int = 0
    nobody_to_remind: int = 0


def _line(subject_request: SubjectRequest, horizon: DueHorizon) -> str:
    due = formats.date_format(subject_request.due_date, "DATE_FORMAT")  # type: ignore[arg-type]
    if subject_request.due_date < horizon.today:  # type: ignore[operator]
        when = _("overdue since %(date)s") % {"date": due}
    elif subject_request.due_date == horizon.today:
        when = _("due today")
    else:
        when = _("due %(date)s") % {"date": due}
    link = settings.PUBLIC_BASE_URL + reverse(
        "admin:requests_subjectrequest_change", args=[subject_request.pk]
    )
    return f"#{subject_request.pk} {subject_request.get_kind_display()}: {when}\n  {link}"


@transaction.atomic
def reminders_send(*, horizon: DueHorizon | None = None) -> ReminderCounts:
    """E-mail each assignee about their open requests due within one working day.

    Idempotent per day: a request reminded today is not reminded again today, however often
    the command runs. Requests nobody is assigned to go to the responsible person's address.
    """
    horizon = horizon or due_horizon()
    operator = operator_profile_get()
    fallback = operator.responsible_person_email if operator else ""
    counts = ReminderCounts()
    by_address: dict[str, list[tuple[SubjectRequest, RequestReminder]]] = defaultdict(list)
    for subject_request in requests_to_remind(horizon=horizon).select_for_update(of=("self",)):
        address = (subject_request.assignee.email if subject_request.assignee else "") or fallback
        if not address:
            counts.nobody_to_remind += 1
            continue
        reminder, created = RequestReminder.objects.get_or_create(
            request=subject_request,
            sent_on=horizon.today,
            defaults={"recipient": subject_request.assignee},
        )
        if not created:
            counts.already_reminded += 1
            continue
        by_address[address].append((subject_request, reminder))
    batches = []
    with translation.override(settings.LANGUAGE_CODE):
        for address, items in by_address.items():
            subject = ngettext(
                "%(count)d subject request is due within one working day",
                "%(count)d subject requests are due within one working day",
                len(items),
            ) % {"count": len(items)}
            body = (
                "\n\n".join(_line(subject_request, horizon) for subject_request, _reminder in items)
                + "\n"
            )
            batches.append((subject, body, address, [reminder.pk for _r, reminder in items]))
            counts.emails += 1
            counts.requests += len(items)
    if batches:
        transaction.on_commit(lambda: _deliver(batches))
    return counts


class ReminderNotSent(Exception):
    pass


def _deliver(batches: list[tuple[str, str, str, list[int]]]) -> None:
    failed = []
    for subject, body, address, reminder_ids in batches:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
        except (smtplib.SMTPException, OSError) as error:
            # Not sent: forget today's mark, so that the next run tries again.
            RequestReminder.objects.filter(pk__in=reminder_ids).delete()
            failed.append(f"{address}: {error}")
    if failed:
        raise ReminderNotSent("; ".join(failed))

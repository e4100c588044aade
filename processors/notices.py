"""Notices of transfer to a third party (Law No. 94-V, Art. 19(1)): made, sent, cancelled.

A consent may make a transfer of the subject's data conditional on telling them of it
(`Consent.notify_of_transfer`). Each transfer then owes each such subject a notice within the
rule "transfer_notice" (10 working days of Kazakhstan), counted from the day after the transfer
as the request deadlines are. A transfer is a disclosure logged in the disclosure log, or a
processor that starts receiving the data for a purpose (a new recipient, or one that starts
keeping the data abroad: a new cross-border transfer).

The notice goes by e-mail in the subject's language through the mail job queue; a subject
without an address is told another way and the notice is recorded as sent with how. Erasure
cancels the notices not sent: no letter goes to an erased person.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.history import save_with_history
from common.jobs import mail_enqueue
from common.personal_data import DataCategory
from common.workdays import ALMATY, work_calendar
from consents.models import Consent, ConsentState
from organisation.selectors import operator_profile_get
from processors.models import Disclosure, NoticeState, Processor, TransferNotice
from requests.models import DEADLINE_TRANSFER_NOTICE, DeadlineRule, DeadlineUnit
from subjects.models import Subject
from subjects.services import subject_ensure_writable

# Used only when the officer has deleted the rule: the period of the law.
LEGAL_DAYS = 10
ON_FAILED = "processors.transfer_notice_failed"


class NoticeError(DomainError):
    """A notice that cannot be sent or cancelled as asked; the message says why."""


def notice_due_date(transferred_on: date) -> date:
    """The last day to tell the subject of a transfer made on `transferred_on`."""
    rule = (
        DeadlineRule.objects.filter(key=DEADLINE_TRANSFER_NOTICE)
        .values_list("days", "unit")
        .first()
    )
    days, unit = rule or (LEGAL_DAYS, DeadlineUnit.WORKING_DAYS)
    return work_calendar().add_days(transferred_on, days, working=unit == DeadlineUnit.WORKING_DAYS)


def _consents_asking(subjects: Iterable[Subject] | None = None, **filters: Any) -> QuerySet:
    consents = Consent.objects.filter(state=ConsentState.GIVEN, notify_of_transfer=True, **filters)
    if subjects is not None:
        consents = consents.filter(subject__in=[subject.pk for subject in subjects])
    return consents.select_related("subject").order_by("subject_id", "pk")


def _make(
    consents: QuerySet[Consent],
    *,
    actor: User | None,
    reason: str,
    transferred_on: date,
    **transfer: Any,
) -> list[TransferNotice]:
    due = notice_due_date(transferred_on)
    # What makes two notices one (the unique constraints): the disclosure, or the processor and day.
    same = (
        {"disclosure": transfer["disclosure"]}
        if "disclosure" in transfer
        else {"processor": transfer["processor"], "transferred_on": transferred_on}
    )
    made = []
    for consent in consents:
        if TransferNotice.objects.filter(consent=consent, **same).exists():
            continue  # told of this transfer already
        notice = TransferNotice(
            subject_id=consent.subject_id,
            consent=consent,
            transferred_on=transferred_on,
            due_date=due,
            **transfer,
        )
        save_with_history(notice, actor=actor, reason=reason)
        made.append(notice)
    return made


def notices_for_disclosure(
    *, disclosure: Disclosure, actor: User | None, reason: str
) -> list[TransferNotice]:
    """The notices a logged disclosure owes: one per live consent of its subjects that asks."""
    return _make(
        _consents_asking(disclosure.subjects.all()),
        actor=actor,
        reason=reason,
        transferred_on=timezone.localtime(disclosure.disclosed_at, ALMATY).date(),
        disclosure=disclosure,
        recipient=disclosure.recipient,
        cross_border=False,
    )


@transaction.atomic
def notices_for_processor(
    *,
    processor: Processor,
    purposes_before: Iterable[int],
    was_cross_border: bool | None,
    actor: User | None,
    reason: str,
) -> list[TransferNotice]:
    """The notices a processor's change owes, after it is saved with its purposes.

    A purpose it now serves and did not before is a new recipient of that purpose's data; a
    processor that starts keeping the data abroad (`was_cross_border` False, now True) is a new
    cross-border transfer for every purpose it serves. A new processor (`was_cross_border`
    None) is a new recipient for all its purposes. A processor whose activity has ended, or
    not begun, transfers nothing today: its notices come when it is saved in its period.
    """
    today = timezone.localdate(timezone=ALMATY)
    if processor.active_to and processor.active_to < today:
        return []
    if processor.active_from and processor.active_from > today:
        return []
    now = set(processor.purposes.values_list("pk", flat=True))
    new = now - set(purposes_before)
    if was_cross_border is False and processor.is_cross_border:
        new = now
    if not new:
        return []
    return _make(
        _consents_asking(purpose__in=new),
        actor=actor,
        reason=reason,
        transferred_on=today,
        processor=processor,
        recipient=processor.legal_name,
        cross_border=processor.is_cross_border,
    )


# A start on a Sunday (the daily run is Monday to Saturday) or a missed run is still caught.
BEGUN_WITHIN_DAYS = 7


@transaction.atomic
def notices_for_processors_begun(*, today: date | None = None) -> list[TransferNotice]:
    """The notices owed by processors whose activity began in the last week.

    A processor saved before its "active from" day transferred nothing then
    (`notices_for_processor`); on that day it begins to receive the data of its purposes. Each
    subject whose consent to one of them asks to be told, given by that day and not yet told of
    this processor, is owed a notice of a transfer on that day. Part of the daily
    `remind_due_requests`; a second run makes nothing.
    """
    today = today or timezone.localdate(timezone=ALMATY)
    begun = Processor.objects.filter(
        active_from__gt=today - timedelta(days=BEGUN_WITHIN_DAYS), active_from__lte=today
    ).exclude(active_to__lt=today)
    made: list[TransferNotice] = []
    for processor in begun.order_by("pk"):
        start = processor.active_from
        assert start is not None  # noqa: S101 - the filter above
        day_after = datetime.combine(start + timedelta(days=1), time.min, tzinfo=ALMATY)
        consents = _consents_asking(
            purpose__in=processor.purposes.all(), given_at__lt=day_after
        ).exclude(transfer_notices__processor=processor)
        made += _make(
            consents,
            actor=None,
            reason=f"Processor began its activity on {start.isoformat()}",
            transferred_on=start,
            processor=processor,
            recipient=processor.legal_name,
            cross_border=processor.is_cross_border,
        )
    return made


def processors_begun_reminder_part() -> str:
    """The daily run's line (requests.services.reminders): the notices made today."""
    made = notices_for_processors_begun()
    return f"{len(made)} transfer notice(s) owed by processors that began their activity."


def _letter(notice: TransferNotice) -> EmailMessage:
    subject = notice.subject
    operator = operator_profile_get()
    consent = notice.consent
    labels = dict(DataCategory.choices)
    with translation.override(subject.preferred_language):
        context = {
            "notice": notice,
            "subject": subject,
            "operator": operator,
            "purpose": str(consent.purpose),
            "categories": [
                str(labels.get(c, c))
                for c in (
                    notice.disclosure.data_categories
                    if notice.disclosure
                    else consent.data_categories
                )
            ],
            "country": notice.processor.country.name if notice.processor else "",  # type: ignore[attr-defined]
        }
        body = render_to_string("processors/transfer_notice_email.txt", context)
        line = _("Your personal data was transferred to a third party")
    sender = operator.privacy_email if operator else settings.DEFAULT_FROM_EMAIL
    return EmailMessage(line, body, sender, [subject.email or ""])


def _pending(notice: TransferNotice) -> TransferNotice:
    locked = TransferNotice.objects.select_for_update(of=("self",)).select_related(
        "subject", "consent__purpose", "disclosure", "processor"
    )
    notice = locked.get(pk=notice.pk)
    if notice.state != NoticeState.PENDING:
        raise NoticeError(
            _("Notice #%(id)s is %(state)s already."),
            code="not_pending",
            params={"id": notice.pk, "state": notice.get_state_display()},
        )
    return notice


@transaction.atomic
def transfer_notice_send(*, notice: TransferNotice, actor: User | None) -> TransferNotice:
    """E-mail the notice in the subject's language (through the mail job queue) and mark it sent.

    Refused for a subject without an e-mail address: tell them another way and record it with
    `transfer_notice_record_told`. Should the letter fail, the notice is pending again.
    """
    notice = _pending(notice)
    subject_ensure_writable(subject=notice.subject)
    if not notice.subject.email:
        raise NoticeError(
            _(
                "Notice #%(id)s: the subject has no e-mail address. Tell them another way and "
                "record how."
            ),
            code="no_email",
            params={"id": notice.pk},
        )
    mail_enqueue(_letter(notice), on_failed=ON_FAILED, callback_kwargs={"notice_id": notice.pk})
    return _mark_sent(notice, actor=actor, note=_("by e-mail"), reason="Notice e-mailed")


@transaction.atomic
def transfer_notice_record_told(
    *, notice: TransferNotice, actor: User | None, how: str
) -> TransferNotice:
    """Record that the subject was told of the transfer another way (a letter, a call)."""
    if not how.strip():
        raise NoticeError(_("Say how the subject was told."), code="how_missing")
    notice = _pending(notice)
    subject_ensure_writable(subject=notice.subject)
    return _mark_sent(notice, actor=actor, note=how.strip(), reason="Told another way")


def _mark_sent(notice: TransferNotice, *, actor: User | None, note: str, reason: str) -> Any:
    notice.state = NoticeState.SENT
    notice.sent_at = timezone.now()
    notice.sent_by = actor
    notice.note = note[:255]
    save_with_history(notice, actor=actor, reason=reason)
    return notice


@transaction.atomic
def transfer_notice_cancel(
    *, notice: TransferNotice, actor: User | None, reason: str
) -> TransferNotice:
    """Cancel a notice not sent (e.g. the law forbids telling of an investigation), saying why."""
    if not reason.strip():
        raise NoticeError(_("Say why the notice is cancelled."), code="reason_missing")
    notice = _pending(notice)
    notice.state = NoticeState.CANCELLED
    notice.note = reason.strip()[:255]
    save_with_history(notice, actor=actor, reason=reason)
    return notice


def transfer_notice_failed(*, notice_id: int, error: str) -> None:
    """The mail job's callback when the letter could not be sent: the notice is owed again."""
    with transaction.atomic():
        notice = TransferNotice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.state != NoticeState.SENT:
            return
        notice.state, notice.sent_at, notice.sent_by = NoticeState.PENDING, None, None
        notice.note = _("The e-mail failed; send again or tell another way.")
        save_with_history(notice, actor=None, reason=f"E-mail failed: {error}"[:255])


def transfer_notices_cancel_for_erasure(
    *, subject: Subject, actor: User | None, reason: str
) -> int:
    """Erasure's part: the subject's notices not sent are cancelled (no letter to them)."""
    pending = TransferNotice.objects.filter(subject=subject, state=NoticeState.PENDING)
    count = 0
    for notice in pending:
        notice.state = NoticeState.CANCELLED
        notice.note = "Erased"
        save_with_history(notice, actor=actor, reason=reason)
        count += 1
    return count


def notices_due_counts(*, today: date | None = None) -> dict[str, int]:
    """How many notices are still to send, and how many of those are past their due date."""
    today = today or timezone.localdate(timezone=ALMATY)
    pending = TransferNotice.objects.filter(state=NoticeState.PENDING)
    return pending.aggregate(pending=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))

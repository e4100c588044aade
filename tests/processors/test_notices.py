"""Notices of transfer (Art. 19(1)): made by transfers, due in 10 working days, sent, erased."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from common.workdays import ALMATY, work_calendar
from erasure.services import subject_erase
from processors.models import NoticeState, TransferNotice
from processors.notices import (
    NoticeError,
    notices_due_counts,
    notices_for_processor,
    notices_for_processors_begun,
    transfer_notice_cancel,
    transfer_notice_failed,
    transfer_notice_record_told,
    transfer_notice_send,
)
from requests.access_report import access_report
from requests.models import DeadlineRule
from tests.consents.factories import ConsentFactory, purpose
from tests.processors.factories import DisclosureFactory, ProcessorFactory
from tests.subjects.factories import SubjectFactory


def _asking(code: str = "newsletter", **subject_fields):
    """A subject whose consent to `code` asks to be told of each transfer."""
    consent = ConsentFactory(
        purpose=purpose(code),
        third_party_transfer=True,
        notify_of_transfer=True,
        **{f"subject__{k}": v for k, v in subject_fields.items()},
    )
    return consent.subject


@pytest.mark.django_db
def test_a_disclosure_owes_a_notice_to_each_subject_who_asked_due_in_10_working_days(officer):
    asking = _asking()
    silent = ConsentFactory().subject  # consented without the condition
    nobody = SubjectFactory()  # no consent at all

    disclosure = DisclosureFactory(subjects=[asking, silent, nobody], actor=officer)

    notice = TransferNotice.objects.get()
    transferred_on = timezone.localtime(disclosure.disclosed_at).date()
    assert (notice.subject, notice.disclosure, notice.recipient) == (
        asking, disclosure, disclosure.recipient,
    )  # fmt: skip
    assert notice.transferred_on == transferred_on
    assert notice.due_date == work_calendar().add_days(transferred_on, 10)
    assert notice.state == NoticeState.PENDING
    assert notice.history.get().history_user == officer


@pytest.mark.django_db
def test_the_notice_period_is_the_editable_rule_with_its_article():
    rule = DeadlineRule.objects.get(key="transfer_notice")
    assert (rule.days, rule.article) == (10, "Art. 19(1)")
    DeadlineRule.objects.filter(pk=rule.pk).update(days=5, unit="calendar_days")

    disclosure = DisclosureFactory(subjects=[_asking()])

    transferred_on = timezone.localtime(disclosure.disclosed_at).date()
    assert TransferNotice.objects.get().due_date == transferred_on + timedelta(days=5)


@pytest.mark.django_db
def test_a_processor_owes_notices_for_a_new_purpose_and_for_moving_abroad_once_each():
    newsletter, feedback = _asking("newsletter"), _asking("feedback")
    processor = ProcessorFactory(purposes=[purpose("newsletter")])

    made = notices_for_processor(
        processor=processor, purposes_before=(), was_cross_border=None, actor=None, reason="new"
    )
    again = notices_for_processor(
        processor=processor,
        purposes_before=[purpose("newsletter").pk],
        was_cross_border=False,
        actor=None,
        reason="saved again",
    )
    assert [n.subject for n in made] == [newsletter]
    assert again == []

    processor.purposes.add(purpose("feedback"))
    added = notices_for_processor(
        processor=processor,
        purposes_before=[purpose("newsletter").pk],
        was_cross_border=False,
        actor=None,
        reason="purpose added",
    )
    assert [n.subject for n in added] == [feedback]

    processor.stores_data_in_kazakhstan = False
    processor.save()
    abroad = notices_for_processor(
        processor=processor,
        purposes_before=[purpose("newsletter").pk, purpose("feedback").pk],
        was_cross_border=False,
        actor=None,
        reason="moved abroad",
    )
    # Told today already of this recipient: one notice per consent, recipient and day.
    assert abroad == []
    assert TransferNotice.objects.count() == 2


@pytest.mark.django_db
def test_an_ended_processor_transfers_nothing():
    _asking()
    processor = ProcessorFactory(
        purposes=[purpose("newsletter")], active_to=timezone.localdate() - timedelta(days=1)
    )

    made = notices_for_processor(
        processor=processor, purposes_before=(), was_cross_border=None, actor=None, reason="x"
    )

    assert made == []


def _begins(start, **fields):
    """A processor of the newsletter saved before its activity begins on `start`: no notices."""
    processor = ProcessorFactory(purposes=[purpose("newsletter")], active_from=start, **fields)
    made = notices_for_processor(
        processor=processor, purposes_before=(), was_cross_border=None, actor=None, reason="x"
    )
    assert made == []
    return processor


@pytest.mark.django_db
def test_a_processor_that_begins_later_owes_its_notices_from_that_day_once():
    start = timezone.localdate() + timedelta(days=3)
    asking, other_purpose = _asking("newsletter"), _asking("feedback")
    told = _asking("newsletter")
    processor = _begins(start)
    earlier = ProcessorFactory(purposes=[purpose("newsletter")])
    TransferNotice.objects.create(
        subject=told, consent=told.consents.get(), processor=processor, recipient="x",
        transferred_on=timezone.localdate(), due_date=start, cross_border=False,
    )  # fmt: skip
    assert notices_for_processors_begun(today=start - timedelta(days=1)) == []
    late = ConsentFactory(
        purpose=purpose("newsletter"), notify_of_transfer=True, third_party_transfer=True,
        given_at=timezone.make_aware(datetime.combine(start + timedelta(days=1), time(12))),
    )  # fmt: skip

    made = notices_for_processors_begun(today=start + timedelta(days=2))  # a missed run or two
    again = notices_for_processors_begun(today=start + timedelta(days=2))

    assert [(n.subject, n.processor) for n in made] == [(asking, processor)]
    notice = made[0]
    assert (notice.transferred_on, notice.due_date) == (start, work_calendar().add_days(start, 10))
    assert (notice.recipient, notice.cross_border) == (processor.legal_name, False)
    assert "began its activity" in notice.history.get().history_change_reason
    assert again == []
    assert not TransferNotice.objects.filter(subject__in=[other_purpose, late.subject]).exists()
    assert not TransferNotice.objects.filter(processor=earlier).exists()


@pytest.mark.django_db
def test_the_daily_run_looks_back_a_week_for_a_start():
    _asking()
    tomorrow = timezone.localdate() + timedelta(days=1)
    _begins(tomorrow)

    assert notices_for_processors_begun(today=tomorrow + timedelta(days=7)) == []
    assert len(notices_for_processors_begun(today=tomorrow + timedelta(days=6))) == 1


@pytest.mark.django_db
def test_a_processor_that_ended_by_the_daily_run_owes_nothing():
    _asking()
    tomorrow = timezone.localdate() + timedelta(days=1)
    _begins(tomorrow, active_to=tomorrow)

    assert notices_for_processors_begun(today=tomorrow + timedelta(days=1)) == []
    assert len(notices_for_processors_begun(today=tomorrow)) == 1


@pytest.mark.django_db
def test_the_daily_reminder_run_makes_the_notices_of_a_processor_beginning_today():
    asking = _asking()
    processor = ProcessorFactory(purposes=[purpose("newsletter")], active_from=timezone.localdate(
        timezone=ALMATY))  # fmt: skip
    out = StringIO()

    call_command("remind_due_requests", stdout=out)

    assert "1 transfer notice(s) owed by processors that began their activity." in out.getvalue()
    assert TransferNotice.objects.get().subject == asking
    assert TransferNotice.objects.get().processor == processor


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "line", "words"),
    [
        ("kk", "Сіздің дербес деректеріңіз үшінші тұлғаға берілді", "Заңының 19-бабының 1-тармағы"),
        ("ru", "Ваши персональные данные переданы третьему лицу", "пункт 1 статьи 19"),
        ("en", "Your personal data was transferred to a third party", "Article 19(1)"),
    ],
)
def test_the_notice_goes_by_e_mail_in_the_subjects_language(
    officer, mailoutbox, django_capture_on_commit_callbacks, language, line, words
):
    subject = _asking(email=f"{language}@example.kz", preferred_language=language)
    DisclosureFactory(subjects=[subject], recipient="Налоговый орган")
    notice = TransferNotice.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        transfer_notice_send(notice=notice, actor=officer)

    [letter] = mailoutbox
    assert letter.to == [f"{language}@example.kz"]
    assert letter.subject == line
    assert words in letter.body
    assert "Налоговый орган" in letter.body
    notice.refresh_from_db()
    assert (notice.state, notice.sent_by) == (NoticeState.SENT, officer)
    assert notice.sent_at is not None
    with pytest.raises(NoticeError) as twice:
        transfer_notice_send(notice=notice, actor=officer)
    assert twice.value.code == "not_pending"


@pytest.mark.django_db
def test_without_an_address_the_subject_is_told_another_way_and_that_is_recorded(officer):
    DisclosureFactory(subjects=[_asking(email=None)])
    notice = TransferNotice.objects.get()

    with pytest.raises(NoticeError) as refused:
        transfer_notice_send(notice=notice, actor=officer)
    assert refused.value.code == "no_email"
    with pytest.raises(NoticeError):
        transfer_notice_record_told(notice=notice, actor=officer, how=" ")

    transfer_notice_record_told(notice=notice, actor=officer, how="Registered letter of 3 March")

    notice.refresh_from_db()
    assert (notice.state, notice.note) == (NoticeState.SENT, "Registered letter of 3 March")


@pytest.mark.django_db
def test_a_failed_letter_makes_the_notice_due_again(officer, settings):
    DisclosureFactory(subjects=[_asking()])
    notice = transfer_notice_record_told(
        notice=TransferNotice.objects.get(), actor=officer, how="by e-mail"
    )

    transfer_notice_failed(notice_id=notice.pk, error="550 mailbox unavailable")

    notice.refresh_from_db()
    assert (notice.state, notice.sent_at, notice.sent_by) == (NoticeState.PENDING, None, None)


@pytest.mark.django_db
def test_a_cancel_says_why_and_the_counts_show_what_is_due_and_overdue(officer):
    DisclosureFactory(subjects=[_asking(), _asking()])
    first, second = TransferNotice.objects.order_by("pk")
    TransferNotice.objects.filter(pk=first.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    assert notices_due_counts() == {"pending": 2, "overdue": 1}

    with pytest.raises(NoticeError):
        transfer_notice_cancel(notice=second, actor=officer, reason="")
    transfer_notice_cancel(notice=second, actor=officer, reason="The law forbids telling")

    assert notices_due_counts() == {"pending": 1, "overdue": 1}


@pytest.mark.django_db
def test_erasure_cancels_the_notices_not_sent(officer, settings):
    settings.ERASURE_JOURNAL_PATH = settings.BASE_DIR / "var" / "test-journal.jsonl"
    subject = _asking()
    DisclosureFactory(subjects=[subject])
    DisclosureFactory(subjects=[subject], recipient="Court of Astana")
    told, pending = TransferNotice.objects.order_by("pk")
    transfer_notice_record_told(notice=told, actor=officer, how="Letter to Abay avenue 5, flat 7")

    subject_erase(subject=subject, actor=officer, reason="Request No. 5")

    told.refresh_from_db()
    pending.refresh_from_db()
    assert (told.state, told.note) == (NoticeState.SENT, "")  # what staff wrote is forgotten
    assert not any("Abay" in row.note for row in told.history.all())
    assert pending.state == NoticeState.CANCELLED
    assert pending.history.latest().history_user == officer


@pytest.mark.django_db
def test_the_access_report_shows_the_condition_and_the_notices(officer):
    subject = _asking()
    DisclosureFactory(subjects=[subject], recipient="Tax office of Almaty")

    report = access_report(subject=subject, language="en")

    assert report.consents[0]["notify_of_transfer"] is True
    [notice] = report.transfer_notices
    assert notice["recipient"] == "Tax office of Almaty"
    assert notice["state"] == "To send"
    assert notice["due_date"]

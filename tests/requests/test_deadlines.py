"""Due dates in Kazakh working days: rules per kind, holidays, pauses, extensions."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from common.history import save_with_history
from common.models import CalendarDay, CalendarDayKind
from common.workdays import ALMATY, WorkCalendar
from requests.models import ActionKind, DeadlineRule, RequestKind, RequestStatus
from requests.selectors import deadline_counts, due_horizon, requests_due
from requests.services.deadlines import (
    due_date_compute,
    request_extend,
    request_pause,
    request_resume,
)
from requests.services.fulfilment import request_refuse
from requests.services.intake import message_ingest
from tests.requests.letters import letter


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


def received(kind_words: str, moment: datetime):
    return message_ingest(raw=letter(body=kind_words), source="t", received_at=moment).request


@pytest.mark.parametrize(
    ("received_on", "days", "unit", "due"),
    [
        # Access (3 working days) received Thursday before Nauryz 2026: Fri 20, then 21-25 March
        # are days off (25 and 24 moved off the weekend), Thu 26, Fri 27.
        (date(2026, 3, 19), 3, "working_days", date(2026, 3, 27)),
        # Rectification (1 working day) received Friday 20 March: the next working day is Thu 26.
        (date(2026, 3, 20), 1, "working_days", date(2026, 3, 26)),
        # Women's Day 2026 falls on Sunday: Monday 9 March is off, so Friday 6 + 1 is Tuesday 10.
        (date(2026, 3, 6), 1, "working_days", date(2026, 3, 10)),
        # Unsubscribe (2 calendar days) ignores holidays: Friday 20 March -> Sunday 22 March.
        (date(2026, 3, 20), 2, "calendar_days", date(2026, 3, 22)),
    ],
)
def test_due_dates_across_holidays(received_on, days, unit, due):
    calendar = WorkCalendar()  # the package's calendar alone, no officer's exceptions
    assert (
        due_date_compute(received_at=at(received_on), days=days, unit=unit, calendar=calendar)
        == due
    )


@pytest.mark.django_db
def test_a_request_received_late_in_the_evening_counts_from_the_almaty_date():
    # 23:30 in Almaty on Thursday 19 March is 18:30 UTC, still the 19th: due Friday 27 March.
    moment = datetime(2026, 3, 19, 23, 30, tzinfo=ALMATY)

    subject_request = received(
        "Какие мои данные у вас хранятся? Прошу предоставить информацию.", moment
    )

    assert subject_request.kind == RequestKind.ACCESS
    assert subject_request.due_date == date(2026, 3, 27)


@pytest.mark.django_db
def test_a_decree_worked_saturday_in_the_calendar_shortens_the_wait(officer):
    # An example decree: Saturday 4 April 2026 worked. Friday 3 April + 1 working day is then
    # that Saturday, not Monday the 6th.
    day = CalendarDay(
        date=date(2026, 4, 4), kind=CalendarDayKind.WORKING_DAY, note="Decree (example)"
    )
    day.full_clean()
    save_with_history(day, actor=officer, reason="decree")

    subject_request = received("Прошу удалить мои данные.", at(date(2026, 4, 3)))

    assert subject_request.kind == RequestKind.ERASURE
    assert subject_request.due_date == date(2026, 4, 4)


@pytest.mark.django_db
def test_the_clock_stops_while_paused_and_resumes_the_day_after_the_answer(staff_user):
    # Access, received Monday 6 April 2026: due Thursday 9 April.
    subject_request = received(
        "Прошу предоставить информацию: какие мои данные у вас есть?", at(date(2026, 4, 6))
    )
    assert subject_request.due_date == date(2026, 4, 9)

    request_pause(
        subject_request=subject_request,
        actor=staff_user,
        note="Asked for the patronymic",
        at=at(date(2026, 4, 7)),
    )
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.AWAITING_INFORMATION
    assert subject_request.due_date is None  # no deadline while we wait

    request_resume(subject_request=subject_request, actor=staff_user, at=at(date(2026, 4, 10), 16))
    subject_request.refresh_from_db()
    # Tue 7 counted (the pause day), 8-10 April did not; then Mon 13, Tue 14 -> due Tuesday 14.
    assert subject_request.status == RequestStatus.IN_PROGRESS
    assert subject_request.due_date == date(2026, 4, 14)
    pause = subject_request.pauses.get()
    assert (pause.paused_by, pause.resumed_by) == (staff_user, staff_user)
    assert pause.history.latest().history_user == staff_user
    kinds = list(subject_request.actions.values_list("kind", flat=True))
    assert kinds[-2:] == [ActionKind.PAUSED, ActionKind.RESUMED]


@pytest.mark.django_db
def test_a_pause_and_resume_on_the_same_day_moves_nothing(staff_user):
    subject_request = received("Прошу предоставить информацию о моих данных.", at(date(2026, 4, 6)))

    request_pause(
        subject_request=subject_request,
        actor=staff_user,
        note="Phone call",
        at=at(date(2026, 4, 7), 10),
    )
    request_resume(subject_request=subject_request, actor=staff_user, at=at(date(2026, 4, 7), 15))

    subject_request.refresh_from_db()
    assert subject_request.due_date == date(2026, 4, 9)


@pytest.mark.django_db
def test_the_clock_cannot_be_paused_twice_nor_resumed_when_running(staff_user):
    subject_request = received("Прошу удалить мои данные.", at(date(2026, 4, 6)))
    with pytest.raises(ValidationError, match="not paused"):
        request_resume(subject_request=subject_request, actor=staff_user)

    request_pause(subject_request=subject_request, actor=staff_user, note="asked")
    with pytest.raises(ValidationError, match="clock is paused"):
        request_pause(subject_request=subject_request, actor=staff_user, note="again")


@pytest.mark.django_db
def test_an_extension_needs_a_reason_and_adds_working_days(officer):
    subject_request = received(
        "Прошу предоставить информацию о моих данных.", at(date(2026, 3, 19))
    )
    with pytest.raises(ValidationError, match="Say why"):
        request_extend(subject_request=subject_request, days=2, reason="  ", actor=officer)

    request_extend(
        subject_request=subject_request,
        days=2,
        reason="Archive records must be searched",
        actor=officer,
    )

    subject_request.refresh_from_db()
    assert subject_request.extension_days == 2
    assert subject_request.due_date == date(2026, 3, 31)  # Fri 27 + Mon 30, Tue 31
    action = subject_request.actions.get(kind=ActionKind.EXTENDED)
    assert action.note == "+2 working days: Archive records must be searched"
    assert action.actor == officer
    record = subject_request.history.latest()
    assert record.history_user == officer
    assert "Deadline extended" in record.history_change_reason


@pytest.mark.django_db
def test_a_rule_changed_by_the_officer_applies_to_new_requests_only(officer):
    running = received("Прошу предоставить информацию о моих данных.", at(date(2026, 4, 6)))
    rule = DeadlineRule.objects.get(key=RequestKind.ACCESS)
    rule.days = 5
    rule.full_clean()
    save_with_history(rule, actor=officer, reason="Counsel's advice")

    new = received("Прошу предоставить информацию о моих данных, ещё раз.", at(date(2026, 4, 6)))

    running.refresh_from_db()
    assert running.due_date == date(2026, 4, 9)
    assert new.due_date == date(2026, 4, 13)


@pytest.mark.django_db
def test_a_refusal_is_due_on_the_refusal_period_of_its_kind(officer):
    # Erasure: 1 working day; its reasoned refusal: 3 working days from the same receipt.
    subject_request = received("Прошу удалить мои данные.", at(date(2026, 4, 6)))
    assert subject_request.due_date == date(2026, 4, 7)

    request_refuse(
        subject_request=subject_request,
        actor=officer,
        reason="A contract with you is not yet fulfilled.",
    )

    subject_request.refresh_from_db()
    assert subject_request.due_date == date(2026, 4, 9)
    assert subject_request.refusal_reason == "A contract with you is not yet fulfilled."
    assert (
        subject_request.status == RequestStatus.IN_PROGRESS
    )  # refused only once the answer is sent


@pytest.mark.django_db
def test_every_kind_has_a_rule_with_its_article_and_refusal_period():
    rules = {rule.key: rule for rule in DeadlineRule.objects.all()}

    assert set(rules) == set(RequestKind.values)  # no global "refusal" rule any more
    assert all(rule.article.startswith("Art. ") for rule in rules.values())
    withdrawal = rules[RequestKind.WITHDRAWAL]
    assert (withdrawal.days, withdrawal.unit, withdrawal.article) == (
        15,
        "working_days",
        "Art. 8(7)",
    )
    assert withdrawal.target_days == 3
    assert withdrawal.target_basis
    assert withdrawal.refusal_days == 15
    assert "Art. 8(7)" in withdrawal.refusal_basis
    assert rules[RequestKind.WITHDRAWAL_ALL].days == 15
    access = rules[RequestKind.ACCESS]
    assert (access.days, access.refusal_days, access.target_days) == (3, 3, None)
    assert "Art. 25(2)(6)" in access.basis


@pytest.mark.django_db
def test_a_withdrawal_is_late_after_the_target_and_overdue_after_the_legal_limit():
    # Received Monday 6 April 2026: target 3 working days -> Thursday 9 April; legal limit
    # 15 working days -> Monday 27 April (no holidays in between).
    subject_request = received("Я отзываю своё согласие на обработку данных.", at(date(2026, 4, 6)))

    assert subject_request.kind == RequestKind.WITHDRAWAL
    assert (subject_request.deadline_days, subject_request.target_days) == (15, 3)
    assert subject_request.target_date == date(2026, 4, 9)
    assert subject_request.due_date == date(2026, 4, 27)

    def bucket_of(today: date) -> dict[str, int]:
        counts = deadline_counts(horizon=due_horizon(today=today))
        return {bucket: counts[bucket] for bucket in ("overdue", "late")}

    assert bucket_of(date(2026, 4, 9)) == {"overdue": 0, "late": 0}
    assert bucket_of(date(2026, 4, 10)) == {"overdue": 0, "late": 1}
    assert list(requests_due(bucket="late", horizon=due_horizon(today=date(2026, 4, 10)))) == [
        subject_request
    ]
    assert bucket_of(date(2026, 4, 27)) == {"overdue": 0, "late": 1}
    assert bucket_of(date(2026, 4, 28)) == {"overdue": 1, "late": 0}


@pytest.mark.django_db
def test_a_refused_withdrawal_is_due_within_15_working_days_and_access_within_3(officer):
    withdrawal = received("Я отзываю своё согласие на обработку данных.", at(date(2026, 4, 6)))
    access = received("Прошу предоставить информацию о моих данных.", at(date(2026, 4, 6)))

    for subject_request in (withdrawal, access):
        request_refuse(
            subject_request=subject_request, actor=officer, reason="An obligation is unfulfilled."
        )
        subject_request.refresh_from_db()

    assert withdrawal.due_date == date(2026, 4, 27)
    assert withdrawal.target_date == date(2026, 4, 9)  # the target still runs
    assert access.due_date == date(2026, 4, 9)


@pytest.mark.django_db
def test_the_internal_target_must_be_shorter_than_the_limit_and_have_a_basis():
    rule = DeadlineRule.objects.get(key=RequestKind.WITHDRAWAL)
    rule.target_days = 15
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "target_days" in error.value.message_dict

    rule.target_days, rule.target_basis = 5, " "
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "target_basis" in error.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_a_target_not_shorter_than_the_limit():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        DeadlineRule.objects.filter(key=RequestKind.ACCESS).update(target_days=3)

"""Working days of Kazakhstan: what the `holidays` package (KZ) says, and the officer's calendar."""

from datetime import date, datetime

import pytest

from common.history import save_with_history
from common.models import CalendarDay, CalendarDayKind
from common.workdays import ALMATY, WorkCalendar, local_date, work_calendar

PLAIN = WorkCalendar()


def test_nauryz_2026_and_the_days_moved_off_its_weekend_are_days_off():
    # Nauryz is 21-23 March. In 2026 the 21st and 22nd fall on Saturday and Sunday, and the
    # package (holidays 0.109) moves them to Tuesday 24 and Wednesday 25 March ("observed").
    for day in (21, 22, 23, 24, 25):
        assert not PLAIN.is_working_day(date(2026, 3, day)), day
    assert PLAIN.holiday_name(date(2026, 3, 24)) == "Nowruz Holiday (observed)"
    assert PLAIN.holiday_name(date(2026, 3, 25)) == "Nowruz Holiday (observed)"
    assert PLAIN.is_working_day(date(2026, 3, 20))  # Friday before
    assert PLAIN.is_working_day(date(2026, 3, 26))  # Thursday after


def test_the_other_2026_holidays_moved_off_a_weekend_are_what_the_package_says():
    # What holidays 0.109 returns for 2026: each weekend holiday gives the next Monday off.
    moved = {
        date(2026, 3, 9): "International Women's Day (observed)",  # 8 March is a Sunday
        date(2026, 5, 11): "Victory Day (observed)",  # 9 May is a Saturday
        date(2026, 10, 26): "Republic Day (observed)",  # 25 October is a Sunday
    }
    for day, name in moved.items():
        assert PLAIN.holiday_name(day) == name
        assert not PLAIN.is_working_day(day)


def test_a_saturday_the_package_knows_as_worked_by_decree_is_a_working_day():
    # Saturday 4 May 2024 was worked; the day off went to Wednesday 8 May.
    assert PLAIN.is_working_day(date(2024, 5, 4))
    assert not PLAIN.is_working_day(date(2024, 5, 8))


def test_counting_starts_the_day_after_and_skips_weekends_and_holidays():
    # Thursday 19 March 2026 + 3 working days: Fri 20, (21-25 off), Thu 26, Fri 27.
    assert PLAIN.add_days(date(2026, 3, 19), 3) == date(2026, 3, 27)
    assert PLAIN.add_days(date(2026, 3, 19), 0) == date(2026, 3, 19)
    # Calendar days ignore holidays.
    assert PLAIN.add_days(date(2026, 3, 20), 2, working=False) == date(2026, 3, 22)
    assert PLAIN.working_days_between(date(2026, 3, 19), date(2026, 3, 27)) == 3
    assert PLAIN.working_days_between(date(2026, 3, 27), date(2026, 3, 19)) == -3


def test_skipped_days_do_not_count():
    # A pause covering Monday and Tuesday pushes a 2-working-day deadline past them.
    paused = {date(2026, 4, 6), date(2026, 4, 7)}
    assert PLAIN.add_days(date(2026, 4, 3), 2, skip=paused.__contains__) == date(2026, 4, 9)


def test_almaty_date_of_a_moment_near_midnight():
    # 23:30 in Almaty is still the same day there, though already the next day nowhere west.
    moment = datetime(2026, 3, 20, 23, 30, tzinfo=ALMATY)
    assert local_date(moment) == date(2026, 3, 20)


@pytest.mark.django_db
def test_a_decree_worked_saturday_entered_by_the_officer_counts_as_a_working_day(officer):
    # Imagine a decree published after the package's release: Saturday 28 November 2026 worked,
    # Monday 30 November off instead. The officer enters both days.
    for day, kind in ((date(2026, 11, 28), CalendarDayKind.WORKING_DAY),
                      (date(2026, 11, 30), CalendarDayKind.DAY_OFF)):  # fmt: skip
        entry = CalendarDay(date=day, kind=kind, note="Decree No. 999 of 01.11.2026 (example)")
        entry.full_clean()
        save_with_history(entry, actor=officer, reason="decree")

    calendar = work_calendar()

    assert calendar.is_working_day(date(2026, 11, 28))
    assert not calendar.is_working_day(date(2026, 11, 30))
    # The next working day after Friday 27 November is that Saturday, not Monday the 30th.
    assert calendar.add_days(date(2026, 11, 27), 1) == date(2026, 11, 28)
    assert PLAIN.add_days(date(2026, 11, 27), 1) == date(2026, 11, 30)
    assert calendar.add_days(date(2026, 11, 27), 2) == date(2026, 12, 1)
    assert CalendarDay.history.filter(history_user=officer).count() == 2


def test_the_calendar_can_be_given_its_exceptions_without_the_database():
    calendar = work_calendar([(date(2026, 3, 27), CalendarDayKind.DAY_OFF)])

    assert not calendar.is_working_day(date(2026, 3, 27))
    assert calendar.add_days(date(2026, 3, 19), 3) == date(2026, 3, 30)

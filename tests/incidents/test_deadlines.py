"""The notice is due one working day after detection, on the calendar of request deadlines."""

from datetime import UTC, date, datetime

import pytest

from common.history import save_with_history
from common.models import CalendarDay, CalendarDayKind
from common.workdays import ALMATY
from incidents.models import NOTICE_RULE, NotificationRule
from incidents.selectors import due_moment, open_incidents_by_time_left
from tests.incidents.factories import incident_open

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


def test_the_rule_is_seeded_with_its_article():
    rule = NotificationRule.objects.get(key=NOTICE_RULE)

    assert (rule.days, rule.unit) == (1, "working_days")
    assert "Art. 25(2)(8)" in rule.basis
    assert "481" in rule.basis


@pytest.mark.parametrize(
    ("detected_on", "due"),
    [
        # Friday 13 November 2026: Saturday and Sunday don't count, Monday 16 does.
        (date(2026, 11, 13), date(2026, 11, 16)),
        # Friday 20 March 2026, before Nauryz: 21-25 March are days off, the 24th and 25th moved
        # off the weekend by the package's calendar; the next working day is Thursday 26.
        (date(2026, 3, 20), date(2026, 3, 26)),
        # Women's Day 2026 is a Sunday, so Monday 9 March is off: Friday 6 + 1 is Tuesday 10.
        (date(2026, 3, 6), date(2026, 3, 10)),
        # An ordinary Tuesday: Wednesday.
        (date(2026, 11, 10), date(2026, 11, 11)),
    ],
)
def test_notice_is_due_one_working_day_after_detection(detected_on, due):
    incident = incident_open(detected_at=at(detected_on))

    assert incident.due_date == due
    assert (incident.deadline_days, incident.deadline_unit) == (1, "working_days")


@pytest.mark.parametrize(
    ("decreed", "kind", "due"),
    [
        # A Saturday worked by decree is the next working day after Friday 13 November.
        (date(2026, 11, 14), CalendarDayKind.WORKING_DAY, date(2026, 11, 14)),
        # A Monday moved off by decree does not count.
        (date(2026, 11, 16), CalendarDayKind.DAY_OFF, date(2026, 11, 17)),
    ],
    ids=["saturday worked", "monday off"],
)
def test_a_day_changed_by_decree_moves_the_notice(decreed, kind, due):
    save_with_history(
        CalendarDay(date=decreed, kind=kind, note="Decree"), actor=None, reason="test"
    )

    assert incident_open(detected_at=at(date(2026, 11, 13))).due_date == due


def test_detection_counts_by_the_almaty_date():
    # 20:00 UTC on Thursday 12 November is 01:00 on Friday the 13th in Almaty.
    moment = datetime(2026, 11, 12, 20, 0, tzinfo=UTC)

    assert incident_open(detected_at=moment).due_date == date(2026, 11, 16)


def test_an_edited_rule_applies_to_new_incidents_only():
    before = incident_open(detected_at=at(date(2026, 11, 10)))
    rule = NotificationRule.objects.get(key=NOTICE_RULE)
    rule.days = 2
    save_with_history(rule, actor=None, reason="test")

    after = incident_open(detected_at=at(date(2026, 11, 10)))
    before.refresh_from_db()

    assert before.due_date == date(2026, 11, 11)
    assert after.due_date == date(2026, 11, 12)


def test_open_incidents_are_listed_soonest_first_with_overdue_ones_marked():
    late = incident_open(detected_at=at(date(2026, 11, 10)))
    soon = incident_open(detected_at=at(date(2026, 11, 12), 8))
    now = at(date(2026, 11, 12), 10)

    items = open_incidents_by_time_left(now=now)

    assert [i.incident.pk for i in items] == [late.pk, soon.pk]
    assert items[0].overdue
    assert items[0].hours_overdue == 10
    assert not items[1].overdue
    assert items[1].time_left == due_moment(date(2026, 11, 13)) - now

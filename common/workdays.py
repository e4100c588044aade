"""Working days of Kazakhstan, for legal deadlines counted in working days.

A working day is Monday to Friday, minus the public holidays of Kazakhstan and the days off moved
from a weekend, plus the Saturdays worked by decree: all of which the `holidays` package (country
KZ) knows up to its release. Decrees published after that release are entered by the privacy
officer as `common.models.CalendarDay` rows, which win over the package. Dates are Almaty dates
(Asia/Almaty): a deadline is a calendar day in Kazakhstan, whatever the server's zone.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from common.models import CalendarDay, CalendarDayKind

ALMATY = ZoneInfo("Asia/Almaty")

# A deadline never lies further than this from its start; a longer walk means a bug (a pause
# that never ends is handled by the caller, not by walking forever).
_MAX_WALK_DAYS = 3 * 366


@cache
def _kazakhstan_holidays() -> holidays.HolidayBase:
    # One instance for the process: it fills in each year the first time a date in it is asked.
    return holidays.country_holidays("KZ")


def local_date(moment: datetime) -> date:
    """The Almaty calendar date of an aware moment."""
    return moment.astimezone(ALMATY).date()


@dataclass(frozen=True)
class WorkCalendar:
    """The package's calendar of Kazakhstan, with the officer's exceptions."""

    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return _kazakhstan_holidays().is_working_day(day)

    def holiday_name(self, day: date) -> str | None:
        return _kazakhstan_holidays().get(day)

    def add_days(
        self,
        start: date,
        count: int,
        *,
        working: bool = True,
        skip: Callable[[date], bool] | None = None,
    ) -> date:
        """The `count`-th day after `start` (which itself never counts).

        With `working`, only working days count; days for which `skip` is true never count (a
        pause of the clock). A count of 0 gives `start`.
        """
        if count < 0:
            raise ValueError("count must not be negative")
        day, counted = start, 0
        for _step in range(_MAX_WALK_DAYS):
            if counted == count:
                return day
            day += timedelta(days=1)
            if (not working or self.is_working_day(day)) and not (skip and skip(day)):
                counted += 1
        raise ValueError(f"no deadline within {_MAX_WALK_DAYS} days of {start}")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )  # fmt: skip


def work_calendar(exceptions: Iterable[tuple[date, str]] | None = None) -> WorkCalendar:
    """The calendar with the officer's exceptions: given as (date, kind) pairs, or read (one query).

    Reading all rows is cheap: a country moves a handful of days a year.
    """
    if exceptions is None:
        exceptions = CalendarDay.objects.values_list("date", "kind")
    days_off: set[date] = set()
    working_days: set[date] = set()
    for day, kind in exceptions:
        (working_days if kind == CalendarDayKind.WORKING_DAY else days_off).add(day)
    return WorkCalendar(
        extra_days_off=frozenset(days_off), extra_working_days=frozenset(working_days)
    )

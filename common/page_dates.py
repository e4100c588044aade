"""The dates and times of one page, written as Django's `formats.localize` writes them, each day
and each time of day worked out once.

Django formats every value from scratch: a `DateFormat` object, the format split again, the
month's name translated again (`gettext`). A list page prints 50 to 100 of them, which was
5-8 ms of the consent and request lists at 1,000,000 subjects (bench/README.md, admin). Here a
format is split once per page; the parts that depend only on the day (the month's name, the
year) are kept per day, the parts that depend only on the time of day per time, written as
Django's `TimeFormat` writes them with its words ("noon", "p.m.") translated once per page. A
format with a part that needs both (the time zone, the seconds since the epoch) is left to
Django's own code.
"""

import datetime
from typing import Any

from django.utils import dateformat, formats
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.translation import gettext

# `django.utils.dateformat`'s letters that read only the date, or only the time of day.
DAY_PARTS = frozenset("bdDEFjlLmMnNoStwWyYz")
TIME_PARTS = frozenset("aAfgGhHiPsu")


class _Pattern:
    """One format (DATE_FORMAT, say) in the active language, split once."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.template: str | None = None
        self._days: dict[Any, list[str]] = {}
        self._times: dict[Any, list[str]] = {}
        self._words: dict[str, str] = {}
        self.day_parts: list[str] = []
        self.time_parts: list[str] = []
        slots: list[tuple[str, int] | str] = []
        pieces = re_formatchars.split(pattern)
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                if piece:  # a literal, as Formatter.format unescapes it
                    slots.append(re_escaped.sub(r"\1", piece).replace("{", "{{").replace("}", "}}"))
            elif piece in DAY_PARTS:
                slots.append(("day", len(self.day_parts)))
                self.day_parts.append(piece)
            elif piece in TIME_PARTS:
                slots.append(("time", len(self.time_parts)))
                self.time_parts.append(piece)
            else:  # e, I, O, T, U, Z, c, r: the zone or the whole moment
                return
        days = len(self.day_parts)
        self.template = "".join(
            slot if isinstance(slot, str) else f"{{{slot[1] + (days if slot[0] == 'time' else 0)}}}"
            for slot in slots
        )

    def _djangos(self, value: datetime.date | datetime.time) -> str:
        if isinstance(value, datetime.time):
            return dateformat.time_format(value, self.pattern)
        return dateformat.format(value, self.pattern)

    def write(self, value: datetime.date | datetime.time) -> str:
        if self.template is None:
            return self._djangos(value)
        if isinstance(value, datetime.datetime):
            day: Any = value.date()
            time: Any = value.time()
        elif isinstance(value, datetime.date):
            if self.time_parts:  # Django refuses a time of day for a date: let it say so
                return self._djangos(value)
            day, time = value, None
        else:
            if self.day_parts:  # as Django: a time of day has no date to show
                return self._djangos(value)
            day, time = None, value
        day_text = self._days.get(day)
        if day_text is None:
            day_text = self._days[day] = _day_parts(value, self.day_parts)
        time_text = self._times.get(time)
        if time_text is None:
            clock = time if time is not None else value
            time_text = self._times[time] = [self._clock(part, clock) for part in self.time_parts]
        return self.template.format(*day_text, *time_text)

    def _clock(self, letter: str, time: Any) -> str:
        """What `dateformat.TimeFormat`'s letter writes: figures, or words translated once per
        page (a list's times are seldom the same twice: no object and no `gettext` per row)."""
        hour, minute = time.hour, time.minute
        twelve = hour % 12 or 12
        if letter == "P":
            if minute == 0 and hour in (0, 12):
                return self._word("midnight" if hour == 0 else "noon")
            return f"{self._clock('f', time)} {self._clock('a', time)}"
        if letter == "a":
            return self._word("p.m." if hour > 11 else "a.m.")
        if letter == "A":
            return self._word("PM" if hour > 11 else "AM")
        if letter == "f":
            return f"{twelve}:{minute:02d}" if minute else str(twelve)
        if letter in "gG":
            return str(twelve if letter == "g" else hour)
        if letter in "hH":
            return f"{twelve if letter == 'h' else hour:02d}"
        if letter == "i":
            return f"{minute:02d}"
        if letter == "s":
            return f"{time.second:02d}"
        return f"{time.microsecond:06d}"  # u

    def _word(self, message: str) -> str:
        word = self._words.get(message)
        if word is None:
            word = self._words[message] = gettext(message)
        return word


def _day_parts(value: Any, parts: list[str]) -> list[str]:
    if not parts:
        return []
    written = dateformat.DateFormat(value)
    return [str(getattr(written, part)()) for part in parts]


class PageDates:
    """`formats.localize` of dates, datetimes and times, for one page in one language.

    Give it the values `localize` would get (datetimes already in the reader's time zone)."""

    def __init__(self) -> None:
        self._patterns: dict[str, _Pattern] = {}

    def _pattern(self, name: str) -> _Pattern:
        pattern = self._patterns.get(name)
        if pattern is None:
            pattern = self._patterns[name] = _Pattern(str(formats.get_format(name)))
        return pattern

    def __call__(self, value: datetime.date | datetime.time) -> str:
        if isinstance(value, datetime.datetime):
            return self._pattern("DATETIME_FORMAT").write(value)
        if isinstance(value, datetime.date):
            return self._pattern("DATE_FORMAT").write(value)
        return self._pattern("TIME_FORMAT").write(value)

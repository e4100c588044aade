"""A page's dates written once per day and time of day, as Django's `formats.localize` writes
each (common.page_dates)."""

import datetime
import zoneinfo

import pytest
from django.utils import dateformat, formats, timezone, translation

from common.page_dates import PageDates, _Pattern

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
# Noon and midnight ("P" says them in words), one day at several times, other days of its
# month, one time of day to the second and to the microsecond, a leap day, the turn of a year,
# a day before 1900.
MOMENTS = [
    datetime.datetime(2026, 12, 3, 0, 0, tzinfo=ALMATY),
    datetime.datetime(2026, 12, 1, 9, 5, tzinfo=ALMATY),
    datetime.datetime(2026, 12, 31, 9, 5, 7, tzinfo=ALMATY),
    datetime.datetime(2026, 12, 3, 12, 0, tzinfo=ALMATY),
    datetime.datetime(2026, 12, 3, 9, 5, 7, 123456, tzinfo=ALMATY),
    datetime.datetime(2026, 12, 3, 23, 59, 59, tzinfo=ALMATY),
    datetime.datetime(2024, 2, 29, 13, 30, tzinfo=datetime.UTC),
    datetime.datetime(2025, 12, 31, 19, 0, tzinfo=datetime.UTC),  # 1 January in Almaty
    datetime.datetime(1899, 5, 1, 8, 15, tzinfo=datetime.UTC),
]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_moments_days_and_times_read_as_djangos_localize_writes_them(language):
    with translation.override(language), timezone.override(ALMATY):
        dates = PageDates()
        for moment in MOMENTS * 2:  # the second time from what the page kept
            local = timezone.template_localtime(moment)
            assert dates(local) == formats.localize(local)
            assert dates(local.date()) == formats.localize(local.date())
            assert dates(local.time()) == formats.localize(local.time())


def test_each_page_writes_in_its_own_language():
    moment = datetime.datetime(2026, 12, 3, 9, 5, 7, 123456, tzinfo=ALMATY)
    written = {}
    for language in ("kk", "ru", "en", "kk"):
        with translation.override(language):
            written.setdefault(language, set()).add(PageDates()(moment))
    assert written["kk"] == {"3 желтоқсан 2026, 09:05"}
    assert written["ru"] == {"3 декабря 2026 г. 9:05"}
    assert written["en"] == {"Dec. 3, 2026, 9:05 a.m."}


@pytest.mark.parametrize(
    "pattern",
    [
        r"\d\a\y j \o\f F Y",  # escaped letters are text
        "{Y} {{m}} j",  # braces are text, not fields of str.format
        "l, jS F Y \\a\\t g:i A",
        "D N W o L t z w y b M n E",
        "H:i:s.u f h a",
        "Y-m-d H:i O e T Z",  # the zone: written by Django
        "c",  # the whole moment
        "r U I",
        "",
    ],
)
def test_any_pattern_reads_as_djangos_dateformat_writes_it(pattern):
    written = _Pattern(pattern)
    with timezone.override(ALMATY):
        for moment in MOMENTS * 2:
            local = timezone.localtime(moment)
            assert written.write(local) == dateformat.format(local, pattern)


def test_a_time_of_day_in_a_date_format_is_refused_as_django_refuses_it():
    with pytest.raises(TypeError, match="time-related"):
        _Pattern("j F Y H:i").write(datetime.date(2026, 12, 3))
    with pytest.raises(TypeError):
        dateformat.format(datetime.date(2026, 12, 3), "j F Y H:i")


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_minute_of_a_day_reads_as_djangos_time_format_writes_it(language):
    """The time of day is written without Django's TimeFormat (its words translated once per
    page): every letter, every minute, on a day and on its own."""
    pattern = "a A f g G h H i P s u"
    with translation.override(language):
        written = _Pattern(pattern)
        for minute_of_day in range(24 * 60):
            moment = datetime.datetime(
                2026,
                12,
                3,
                *divmod(minute_of_day, 60),
                minute_of_day % 60,
                7 * minute_of_day,
                tzinfo=ALMATY,
            )
            assert written.write(moment.time()) == dateformat.time_format(moment.time(), pattern)
            assert written.write(moment) == dateformat.format(moment, pattern)

"""Small bar charts drawn on the server as inline SVG: no script, no CDN, the page works offline.

A chart is months along the bottom and one bar per series in each month, with a legend; each
bar carries its figure in a <title> (the browser shows it on hover, screen readers read it).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from common.workdays import local_date

WIDTH, HEIGHT = 600, 170
LEFT, BOTTOM, TOP = 36, 22, 26  # room for the scale, the month names and the legend


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: Sequence[int]


def _n(value: float) -> str:
    """A coordinate, to a tenth of a pixel."""
    return f"{value:.1f}"


def last_months(today: date, count: int = 12) -> list[date]:
    """The first days of the last `count` months, this month last."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def bar_chart(*, title: str, months: Sequence[date], series: Sequence[Series]) -> SafeString:
    top = max([1, *(value for one in series for value in one.values)])
    plot_width, plot_height = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    slot = plot_width / len(months)
    bar = slot * 0.8 / len(series)
    parts: list[SafeString] = []
    for index, month in enumerate(months):
        name = formats.date_format(month, "M")
        x0 = LEFT + index * slot + slot * 0.1
        for number, one in enumerate(series):
            value = one.values[index]
            height = plot_height * value / top
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{} {}: {} — {}</title></rect>",
                _n(x0 + number * bar), _n(TOP + plot_height - height), _n(bar), _n(height),
                one.colour, name, month.year, one.label, value,
            ))  # fmt: skip
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="currentColor">{}'
            "</text>",
            _n(LEFT + index * slot + slot / 2), HEIGHT - 6, name,
        ))  # fmt: skip
    legend = format_html_join(
        "",
        '<rect x="{}" y="6" width="10" height="10" fill="{}"></rect>'
        '<text x="{}" y="15" font-size="12" fill="currentColor">{}</text>',
        ((LEFT + 170 * n, one.colour, LEFT + 170 * n + 14, one.label)
         for n, one in enumerate(series)),
    )  # fmt: skip
    return format_html(
        '<svg class="desk-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">'
        "<title>{}</title>{}"
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" stroke-width="0.5"></line>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="currentColor">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="currentColor">0</text>'
        "{}</svg>",
        WIDTH, HEIGHT, title, title, legend,
        LEFT, TOP + plot_height, WIDTH - 4, TOP + plot_height,
        LEFT - 4, TOP + 10, top, LEFT - 4, TOP + plot_height,
        SafeString("".join(parts)),
    )  # fmt: skip


CHART_CACHE_SECONDS = 15 * 60  # the figures of a month move slowly; a year of rows is read once


def desk_chart(
    request: HttpRequest,
    *,
    permission: str,
    name: str,
    title: str,
    read: Callable[[date], Any],
    series: Callable[[Any, list[date]], Sequence[Series]],
) -> SafeString | str:
    """A desk box with a chart of the last twelve months, for users with `permission`: `read`
    counts from the first month on (once per month and cache period), `series` draws them."""
    if not request.user.has_perm(permission):
        return ""
    months = last_months(local_date(timezone.now()))
    key = f"desk:{name}:{months[-1]:%Y-%m}"
    counts = cache.get(key)
    if counts is None:
        counts = read(months[0])
        cache.set(key, counts, CHART_CACHE_SECONDS)
    chart = bar_chart(title=title, months=months, series=series(counts, months))
    return format_html('<div class="module" id="{}"><h2>{}</h2>{}</div>', name, title, chart)

"""The desk's chart of consents given and withdrawn per month over the last twelve months."""

from django import template
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from common.svg_chart import Series, bar_chart, last_months
from common.workdays import local_date
from consents.selectors import consents_per_month

register = template.Library()
CACHE_SECONDS = 15 * 60  # the figures of a month move slowly; a year of rows is read once


@register.simple_tag(takes_context=True)
def consent_chart(context: template.Context) -> SafeString | str:
    if not context["request"].user.has_perm("consents.view_consent"):
        return ""
    months = last_months(local_date(timezone.now()))
    key = f"desk:consents-per-month:{months[-1]:%Y-%m}"
    counts = cache.get(key)
    if counts is None:
        counts = consents_per_month(since=months[0])
        cache.set(key, counts, CACHE_SECONDS)
    title = _("Consents per month")
    chart = bar_chart(title=title, months=months, series=[
        Series(_("given"), "#2e7d32", [counts["given"].get(m, 0) for m in months]),
        Series(_("withdrawn"), "#b35900", [counts["withdrawn"].get(m, 0) for m in months]),
    ])  # fmt: skip
    return format_html('<div class="module" id="consent-chart"><h2>{}</h2>{}</div>', title, chart)

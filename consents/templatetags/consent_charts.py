"""The desk's chart of consents given and withdrawn per month over the last twelve months."""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from common.svg_chart import Series, desk_chart
from consents.selectors import consents_per_month

register = template.Library()


@register.simple_tag(takes_context=True)
def consent_chart(context: template.Context) -> SafeString | str:
    return desk_chart(
        context["request"], permission="consents.view_consent", name="consent-chart",
        title=_("Consents per month"), read=lambda since: consents_per_month(since=since),
        series=lambda counts, months: [
            Series(_("given"), "#2e7d32", [counts["given"].get(m, 0) for m in months]),
            Series(_("withdrawn"), "#b35900", [counts["withdrawn"].get(m, 0) for m in months]),
        ],
    )  # fmt: skip

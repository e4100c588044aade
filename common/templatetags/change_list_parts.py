"""The parts of a change list, each written in one pass as Django's template writes it: the
rows and their table (common.admin_rows, common.results_table), the filters
(common.admin_filters) and the page links (common.pagination_links)."""

from django import template
from django.contrib.admin.views.main import ChangeList
from django.utils.safestring import SafeString

from common.admin_filters import list_filters_markup
from common.admin_rows import result_rows
from common.pagination_links import pagination_markup
from common.results_table import results_table

register = template.Library()


@register.simple_tag
def result_rows_list(cl: ChangeList) -> SafeString:
    """Django's `result_list`."""
    return results_table(cl, result_rows(cl))


@register.simple_tag
def list_filters(cl: ChangeList) -> SafeString:
    """Every filter of the list, as Django's `admin_list_filter` prints each."""
    return list_filters_markup(cl)


@register.simple_tag
def list_pagination(cl: ChangeList) -> SafeString:
    """The page links and the count, as Django's `pagination` prints them."""
    return pagination_markup(cl)

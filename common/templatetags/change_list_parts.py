"""The parts of a change list around its rows, each written in one pass (common.admin_filters,
common.pagination_links); the rows and their table are common.templatetags.admin_rows'."""

from django import template
from django.contrib.admin.views.main import ChangeList
from django.utils.safestring import SafeString

from common.admin_filters import list_filters_markup
from common.pagination_links import pagination_markup

register = template.Library()


@register.simple_tag
def list_filters(cl: ChangeList) -> SafeString:
    """Every filter of the list, as Django's `admin_list_filter` prints each."""
    return list_filters_markup(cl)


@register.simple_tag
def list_pagination(cl: ChangeList) -> SafeString:
    """The page links and the count, as Django's `pagination` prints them."""
    return pagination_markup(cl)

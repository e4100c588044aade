from django import template
from django.contrib.admin.views.main import ChangeList
from django.utils.safestring import SafeString

from common.admin_filters import list_filters_markup

register = template.Library()


@register.simple_tag
def list_filters(cl: ChangeList) -> SafeString:
    """Every filter of the list, as Django's `admin_list_filter` prints each
    (common.admin_filters)."""
    return list_filters_markup(cl)

from django import template
from django.contrib.admin.views.main import ChangeList

from common.admin_rows import result_list_context

register = template.Library()


@register.inclusion_tag("admin/change_list_results.html")
def result_rows_list(cl: ChangeList) -> dict[str, object]:
    """Django's `result_list`, with the rows written in one pass (common.admin_rows)."""
    return result_list_context(cl)

from django import template
from django.contrib.admin.views.main import ChangeList
from django.utils.safestring import SafeString

from common.admin_rows import result_rows
from common.results_table import results_table

register = template.Library()


@register.simple_tag
def result_rows_list(cl: ChangeList) -> SafeString:
    """Django's `result_list`, with the rows written in one pass (common.admin_rows) and the
    table around them too (common.results_table)."""
    return results_table(cl, result_rows(cl))

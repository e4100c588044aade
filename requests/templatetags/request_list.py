"""The request list's rows, written in one pass (requests.admin.rows)."""

from django import template
from django.contrib.admin.views.main import ChangeList
from django.utils.safestring import SafeString

from common.results_table import results_table
from requests.admin.rows import request_rows

register = template.Library()


@register.simple_tag
def request_results(cl: ChangeList) -> SafeString:
    return results_table(cl, request_rows(cl))

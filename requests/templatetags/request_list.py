"""The request list's rows, written in one pass (requests.admin.rows)."""

from django import template
from django.contrib.admin.views.main import ChangeList

from requests.admin.rows import request_results as _request_results

register = template.Library()


@register.inclusion_tag("admin/change_list_results.html")
def request_results(cl: ChangeList) -> dict[str, object]:
    return _request_results(cl)

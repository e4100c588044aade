"""A change list's table written in one pass, as `admin/change_list_results.html` writes it.

The rows come from common.admin_rows (or a list's own writer); around them Django's template
walked the headers with their sorting links and, for every row, asked whether it held a form
with errors: three failed lookups a row, each raising and catching an exception. That template
took 5-8 ms of a list page at 1,000,000 subjects (bench/README.md, admin). Here the same text
is written, character for character (tests/common/test_admin_lists.py compares it with Django's
`result_list` for the lists of the project, sorted by one and by several columns, in kk, ru and
en). A list with inline editing (a formset) keeps Django's template: its rows are forms.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.admin.templatetags.admin_list import (
    result_headers,
    result_hidden_fields,
    result_list,
)
from django.contrib.admin.views.main import ChangeList
from django.template.base import render_value_in_context
from django.template.context import Context
from django.template.defaultfilters import capfirst
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import gettext

DJANGOS_TEMPLATE = "admin/change_list_results.html"


def results_table(cl: ChangeList, rows: Iterable[list[SafeString]]) -> SafeString:
    """The markup `{% result_list cl %}` prints, with `rows` (the cells of each row) as the
    rows."""
    if getattr(cl, "formset", None):
        return SafeString(render_to_string(DJANGOS_TEMPLATE, result_list(cl)))
    printed = Context()  # as the inclusion tag renders: escaped, localized
    parts = ["\n"]
    hidden = list(result_hidden_fields(cl))
    if hidden:
        fields = "".join(render_value_in_context(field, printed) for field in hidden)
        parts.append(f'\n<div class="hiddenfields">\n{fields}\n</div>\n')
    parts.append("\n")
    body = "".join(f"\n\n<tr>{''.join(cells)}</tr>\n" for cells in rows)
    if body:
        headers = list(result_headers(cl))
        sorted_by = sum(1 for header in headers if header["sortable"] and header["sorted"])
        heads = "".join(_header(header, sorted_by, printed) for header in headers)
        parts.append(
            '\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n'
            f"{heads}\n</tr>\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>\n"
        )
    parts.append("\n")
    return SafeString("".join(parts))


def _header(header: dict[str, Any], sorted_by: int, printed: Context) -> str:
    sorting = ""
    if header["sortable"] and header["sort_priority"] > 0:
        priority = render_value_in_context(header["sort_priority"], printed)
        shown_priority = ""
        if sorted_by > 1:
            title = gettext("Sorting priority: %(priority_number)s") % {"priority_number": priority}
            shown_priority = f'<span class="sortpriority" title="{title}">{priority}</span>'
        direction = "ascending" if header["ascending"] else "descending"
        sorting = (
            '\n       <div class="sortoptions">\n'
            f'         <a class="sortremove" href="{conditional_escape(header["url_remove"])}"'
            f' title="{conditional_escape(gettext("Remove from sorting"))}"></a>\n'
            f"         {shown_priority}\n"
            f'         <a href="{conditional_escape(header["url_toggle"])}"'
            f' class="toggle {direction}"'
            f' title="{conditional_escape(gettext("Toggle sorting"))}"></a>\n'
            "       </div>\n   "
        )
    text = _capitalised(header["text"])
    label = (
        f'<a href="{conditional_escape(header["url_primary"])}">{text}</a>'
        if header["sortable"]
        else f"<span>{text}</span>"
    )
    return (
        f'\n<th scope="col"{render_value_in_context(header["class_attrib"], printed)}>\n'
        f"   {sorting}\n"
        f'   <div class="text">{label}</div>\n'
        '   <div class="clear"></div>\n</th>'
    )


def _capitalised(text: Any) -> str:
    """`{{ text|capfirst }}`: kept as it is when safe (the select-all box), escaped otherwise."""
    first_up = capfirst(text)
    return first_up if isinstance(text, SafeData) else conditional_escape(first_up)

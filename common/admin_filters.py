"""A change list's filters written in one pass, as `admin/filter.html` writes each of them.

Django renders every filter of a list through its template: a loop over the choices with an
`{% if %}`, a filter and two lookups per choice, and a `blocktranslate` for the heading. The
subject, consent and request lists have five to ten filters each, and that template was a tenth
of their time at 1,000,000 subjects (bench/README.md, admin). The choices are still the
filters' own (`spec.choices`: links, the selected one, the counts when shown); only the markup
is written here, character for character as the template writes it (tested against it for
every list of the project in kk, ru and en). A filter with a template of its own keeps it.
"""

from typing import Any

from django.contrib.admin.templatetags.admin_list import admin_list_filter
from django.contrib.admin.views.main import ChangeList
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import gettext

DJANGOS_TEMPLATE = "admin/filter.html"
_SELECTED = ' class="selected"'


def list_filters_markup(cl: ChangeList) -> SafeString:
    """The markup of every filter of `cl`, as `{% for spec in cl.filter_specs %}
    {% admin_list_filter cl spec %}{% endfor %}` prints it."""
    printed = Context()  # as admin_list_filter renders: escaped, localized
    return SafeString("".join(_filter(cl, spec, printed) for spec in cl.filter_specs))


def _filter(cl: ChangeList, spec: Any, printed: Context) -> str:
    if getattr(spec, "template", None) != DJANGOS_TEMPLATE:
        return admin_list_filter(cl, spec)
    title = render_value_in_context(spec.title, printed)
    choices = "".join(
        f"\n    <li{_SELECTED if choice.get('selected') else ''}>\n"
        f'    <a href="{_link(choice.get("query_string", ""))}">'
        f"{render_value_in_context(choice.get('display', ''), printed)}</a></li>\n  "
        for choice in spec.choices(cl)
    )
    heading = gettext(" By %(filter_title)s ") % {"filter_title": title}
    return (
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {heading}\n'
        f"  </summary>\n  <ul>\n  {choices}\n  </ul>\n</details>\n"
    )


def _link(query_string: Any) -> str:
    """`{{ query_string|iriencode }}`: kept as it is when already safe, escaped otherwise."""
    encoded = iri_to_uri(str(query_string))
    return encoded if isinstance(query_string, SafeData) else conditional_escape(encoded)

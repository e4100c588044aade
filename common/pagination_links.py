"""A change list's page links written in one pass, as `admin/pagination.html` writes them.

Django's template loops over the page numbers with a tag per number and looks the count and
the register's name up through the change list: ~1.5 ms of a list page at 1,000,000 subjects
(bench/README.md, admin). The numbers, links and count are Django's own (`pagination`,
`paginator_number`); only the markup around them is written here, character for character
(tested against the template for the project's big lists in kk, ru and en).
"""

from django.contrib.admin.templatetags.admin_list import pagination, paginator_number
from django.contrib.admin.views.main import ChangeList
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext


def pagination_markup(cl: ChangeList) -> SafeString:
    """What `{% pagination cl %}` prints."""
    found = pagination(cl)
    printed = Context()  # as the inclusion tag renders: escaped, localized
    numbers = ""
    if found["pagination_required"]:
        links = "".join(f"\n    {paginator_number(cl, i)}\n" for i in found["page_range"])
        numbers = f"\n{links}\n"
    name = cl.opts.verbose_name if cl.result_count == 1 else cl.opts.verbose_name_plural
    count = " ".join(render_value_in_context(value, printed) for value in (cl.result_count, name))
    show_all = ""
    if found["show_all_url"]:
        show_all = (
            f'<a href="{conditional_escape(found["show_all_url"])}" class="showall">'
            f"{conditional_escape(gettext('Show all'))}</a>"
        )
    save = ""
    if getattr(cl, "formset", None) and cl.result_count:
        save = (
            '<input type="submit" name="_save" class="default" '
            f'value="{conditional_escape(gettext("Save"))}">'
        )
    return SafeString(f'\n\n<p class="paginator">\n{numbers}\n{count}\n{show_all}\n{save}\n</p>\n')

"""The admin's list of registers (the navigation sidebar of every list and form), built cheaply.

Django builds it on every page: two URL reversals per register (~60 µs each here, against the
admin's hundreds of patterns) and `admin/app_list.html`, a template of nested loops. At
1,000,000 subjects that was a fifth to a third of a list page's time (bench/README.md, admin).
Here a register's URLs are reversed once per process, and the sidebar's rows are written in one
pass, with the markup of Django's template. What each user may see is still asked on every
page: only what never changes is kept.
"""

import functools
from typing import Any
from urllib.parse import quote

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


@functools.cache
def _urls(
    site: str, prefix: str, urlconf: object, app_label: str, model_name: str
) -> tuple[str | None, str | None, str]:
    """(changelist, add, app index) URLs of a register; the key holds all that reverse reads."""

    def url(name: str) -> str | None:
        try:
            return reverse(f"admin:{name}", current_app=site)
        except NoReverseMatch:
            return None

    app_url = reverse("admin:app_list", kwargs={"app_label": app_label}, current_app=site)
    register = f"{app_label}_{model_name}"
    return url(f"{register}_changelist"), url(f"{register}_add"), app_url


def register_urls(site: str, app_label: str, model_name: str) -> tuple[str | None, str | None, str]:
    return _urls(site, get_script_prefix(), get_urlconf(), app_label, model_name)


def _model_row(app_label: str, model: dict[str, Any], path: str) -> SafeString:
    model_name = model["object_name"].lower()
    row_id = f"{app_label}-{model_name}"
    admin_url = model["admin_url"]
    current = bool(admin_url) and admin_url in path
    if admin_url:
        here = ' aria-current="page"' if current else ""
        name = format_html('<a href="{}"{}>{}</a>', admin_url, SafeString(here), model["name"])
    else:
        name = format_html("{}", model["name"])
    add = (
        format_html(
            '<td><a href="{}" class="addlink" aria-describedby="{}">{}</a></td>',
            model["add_url"],
            row_id,
            _("Add"),
        )
        if model["add_url"]
        else SafeString("<td></td>")
    )
    return format_html(
        '<tr class="model-{}{}"><th scope="row" id="{}">{}</th>{}</tr>',
        model_name,
        " current-model" if current else "",
        row_id,
        name,
        add,
    )


def nav_sidebar_apps(app_list: list[dict[str, Any]], request_path: str) -> SafeString:
    """What `admin/app_list.html` prints for the sidebar (no change links)."""
    if not app_list:
        return format_html("<p>{}</p>", _("You don’t have permission to view or edit anything."))
    path = quote(request_path)  # as the template's `request.path|urlencode`
    head = format_html(
        '<thead class="visually-hidden"><tr><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead>',
        _("Model name"),
        _("Add link"),
        _("Change or view list link"),
    )
    return format_html_join(
        "\n",
        '<div class="app-{} module{}"><table><caption><a href="{}" class="section" title="{}">{}'
        "</a></caption>{}{}</table></div>",
        (
            (
                app["app_label"],
                " current-app" if app["app_url"] in path else "",
                app["app_url"],
                _("Models in the %(name)s application") % {"name": app["name"]},
                app["name"],
                head,
                SafeString("".join(_model_row(app["app_label"], m, path) for m in app["models"])),
            )
            for app in app_list
        ),
    )

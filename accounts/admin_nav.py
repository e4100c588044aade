"""The admin's list of registers (the navigation sidebar of every list and form, and the desk's
list), built cheaply.

Django builds it on every page: two URL reversals per register (~60 µs each here, against the
admin's hundreds of patterns) and `admin/app_list.html`, a template of nested loops. At
1,000,000 subjects that was a fifth to a third of a list page's time (bench/README.md, admin).
Here a register's URLs are reversed once per process, and the sidebar's rows are written in one
pass, with the markup of Django's template, and kept for the next page that shows the same.
What each user may see is still asked on every page: only what follows from it is kept.
"""

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.db.models import Model
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language
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


def register_urls(site: str) -> Callable[[str, str], tuple[str | None, str | None, str]]:
    """The URLs of a register, by app label and model name, for the page being built (the
    script prefix and URLconf read once for all its registers)."""
    return functools.partial(_urls, site, get_script_prefix(), get_urlconf())


@functools.cache  # one entry per register and language
def _register_name(model: type[Model], language: str | None) -> str:
    return str(capfirst(model._meta.verbose_name_plural))


def register_name(model: type[Model]) -> str:
    """A register's name as the sidebar shows it, in the active language: translated once per
    language, not on every page."""
    return _register_name(model, get_language())


def _model_row(app_label: str, model: "_Model", change_links: bool) -> str:
    object_name, name, admin_url, add_url, view_only, current = model
    model_name = object_name.lower()
    row_id = f"{app_label}-{model_name}"
    if admin_url:
        here = ' aria-current="page"' if current else ""
        name_cell = format_html('<a href="{}"{}>{}</a>', admin_url, SafeString(here), name)
    else:
        name_cell = format_html("{}", name)
    add = (
        format_html(
            '<td><a href="{}" class="addlink" aria-describedby="{}">{}</a></td>',
            add_url,
            row_id,
            _("Add"),
        )
        if add_url
        else SafeString("<td></td>")
    )
    change = SafeString("")
    if change_links:  # the index's third column: to the list, to change or only to view
        change = (
            format_html(
                '<td><a href="{}" class="{}" aria-describedby="{}">{}</a></td>',
                admin_url,
                "viewlink" if view_only else "changelink",
                row_id,
                _("View") if view_only else _("Change"),
            )
            if admin_url
            else SafeString("<td></td>")
        )
    return format_html(
        '<tr class="model-{}{}"><th scope="row" id="{}">{}</th>{}{}</tr>',
        model_name,
        " current-model" if current else "",
        row_id,
        name_cell,
        add,
        change,
    )


# One app of the list as printed: (label, name, URL, current, its models), each model as
# (object name, name, list URL, add URL, view only, current).
_Model = tuple[str, str, str | None, str | None, bool, bool]
_App = tuple[str, str, str, bool, tuple[_Model, ...]]


@functools.lru_cache(maxsize=256)
def _app_list(language: str | None, apps: tuple[_App, ...], change_links: bool) -> SafeString:
    """The list's markup for what one page shows: the same for every page that shows the
    same registers with the same one marked current, in the same language (in the key, as the
    headings are translated here)."""
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
                app_label,
                " current-app" if current else "",
                app_url,
                _("Models in the %(name)s application") % {"name": name},
                name,
                head,
                SafeString("".join(_model_row(app_label, model, change_links) for model in models)),
            )
            for app_label, name, app_url, current, models in apps
        ),
    )


def app_list_markup(
    app_list: list[dict[str, Any]], request_path: str, *, change_links: bool
) -> SafeString:
    """What `admin/app_list.html` prints: in the sidebar without change links, on the index
    (the desk) with them.

    Written once per language, set of registers and current register (a small cache), and
    looked up on every page: what the user may see is in the key, asked afresh each time.
    """
    if not app_list:
        return format_html("<p>{}</p>", _("You don’t have permission to view or edit anything."))
    path = quote(request_path)  # as the template's `request.path|urlencode`
    apps = tuple(
        (
            app["app_label"],
            str(app["name"]),
            app["app_url"],
            app["app_url"] in path,
            tuple(
                (
                    model["object_name"],
                    str(model["name"]),
                    model["admin_url"],
                    model["add_url"],
                    bool(model.get("view_only")),
                    bool(model["admin_url"]) and model["admin_url"] in path,
                )
                for model in app["models"]
            ),
        )
        for app in app_list
    )
    return _app_list(get_language(), apps, change_links)


def nav_sidebar_apps(app_list: list[dict[str, Any]], request_path: str) -> SafeString:
    """The sidebar's list of registers (no change links)."""
    return app_list_markup(app_list, request_path, change_links=False)

"""A change list's rows written in one pass, for every admin list without inline editing.

Django's `items_for_result` works each cell out afresh: it looks the column up on the model and
the admin (an exception per cell for anything that is not a field), builds the choices of a
field into a dict, asks the admin for its empty value, decides the link and the classes, and
formats the cell through `format_html`. With 50 rows of 8 columns that was about a third of a
list page at 1,000,000 subjects (bench/README.md, admin). Here each column is worked out once
per page and each cell is a call of what was found; the markup is Django's, cell for cell
(tests/common/test_admin_lists.py compares them for every list of the project).
"""

import datetime
import html
from collections.abc import Callable, Iterator
from typing import Any

# Two private helpers of Django's, so that names and classes are found exactly as Django does.
from django.contrib.admin.templatetags.admin_list import (  # type: ignore[attr-defined]
    _boolean_icon,
    _coerce_field_name,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (  # type: ignore[attr-defined]
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from common.admin import ROW_CHECKBOX_LABEL, HistoryAdmin, row_checkbox
from common.page_dates import PageDates

Cell = Callable[[Any], SafeString]
_MISSING = object()


def _escaped(text: Any) -> str:
    """`conditional_escape`, with a plain string escaped straight away (the same text, without
    the check for lazy arguments that `escape` makes on each of a page's ~400 cells)."""
    return html.escape(text) if type(text) is str else conditional_escape(text)


def _reader(
    cl: ChangeList, name: Any
) -> "tuple[models.Field[Any, Any] | None, Any, Callable[[Any], Any]]":
    """(field, attribute, how to read a row's value) of a column, as `lookup_field` finds them."""
    model_admin = cl.model_admin
    try:
        field = _get_non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        pass
    else:
        return field, None, lambda obj: getattr(obj, name)
    if callable(name):
        return None, name, name
    if hasattr(model_admin, name) and name != "__str__":
        method = getattr(model_admin, name)
        return None, method, method

    def read(obj: Any) -> Any:
        value = getattr(obj, name, _MISSING)
        if callable(value):
            return value()
        if value is _MISSING:  # a lookup through relations: "subject__email"
            value = obj
            for part in name.split(LOOKUP_SEP):
                value = getattr(value, part, _MISSING)
                if value is _MISSING:
                    return None
        return value

    return None, getattr(cl.model, name, None), read


def _checkbox_column(cl: ChangeList) -> Cell | None:
    """The row checkbox of `common.admin.HistoryAdmin` in its cell, labelled in one translation
    for the page."""
    if type(cl.model_admin).action_checkbox is not HistoryAdmin.action_checkbox:
        return None
    label = gettext(ROW_CHECKBOX_LABEL)
    return lambda obj: SafeString(
        f'<td class="action-checkbox">{row_checkbox(obj.pk, str(obj), label)}</td>'
    )


def _column(cl: ChangeList, index: int, name: Any, *, link: bool, tag: str) -> Cell:
    if name == "action_checkbox" and not link:
        checkbox = _checkbox_column(cl)
        if checkbox is not None:
            return checkbox
    field, attr, read = _reader(cl, name)
    missing = cl.model_admin.get_empty_value_display()  # what a row without the object shows
    empty = getattr(attr, "empty_value_display", missing)
    boolean = getattr(attr, "boolean", False)
    if isinstance(attr, property) and hasattr(attr, "fget"):
        boolean = getattr(attr.fget, "boolean", False)
    base = (
        ["action-checkbox"]
        if name == "action_checkbox"
        else [f"field-{_coerce_field_name(name, index)}"]
    )
    as_value = field is None or field.auto_created
    related = not as_value and isinstance(field.remote_field, models.ManyToOneRel)  # type: ignore[union-attr]
    # The labels of a field's choices, translated once for the page (each is a lazy string that
    # would be translated again in every row).
    choices = (
        {value: conditional_escape(label) for value, label in field.flatchoices}
        if field is not None and getattr(field, "flatchoices", None)
        else None
    )
    # Dates and times as `display_for_field` writes them, each day's text found once.
    dates = (
        PageDates()
        if choices is None and isinstance(field, (models.DateField, models.TimeField))
        else None
    )
    in_local_time = isinstance(field, models.DateTimeField)
    # Text as `display_for_field` writes a text field's string: itself, or the empty value.
    plain_text = (
        choices is None
        and not as_value
        and isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, models.URLField)  # written as a link
    )
    # A related row is printed as its str(); on one page the same row (the same purpose, the same
    # policy version in every row) is printed once.
    printed: dict[Any, SafeString] = {}
    if (
        field is not None
        and not as_value
        and (related or isinstance(field, (models.DateField, models.TimeField)))
    ):
        base = [*base, "nowrap"]
    # Names of columns and Django's own class names only: nothing to escape.
    fixed_class = mark_safe(f' class="{" ".join(base)}"')  # noqa: S308 - column names only
    dated_class = mark_safe(f' class="{" ".join([*base, "nowrap"])}"')  # noqa: S308 - column names only

    # Yes / no / unknown icons: each is a static-file lookup, the same for every row.
    icons: dict[Any, SafeString] = {}
    iconic = boolean if as_value else choices is None and isinstance(field, models.BooleanField)

    def shown(obj: Any) -> tuple[Any, SafeString]:
        try:
            value = read(obj)
        except ObjectDoesNotExist:
            return missing, fixed_class
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if iconic and (value is True or value is False or value is None):
            if value not in icons:
                icons[value] = _boolean_icon(value)
            return icons[value], fixed_class
        if plain_text and type(value) is str:
            return value or empty, fixed_class
        if as_value:
            dated = isinstance(value, (datetime.date, datetime.time))
            return display_for_value(value, empty, boolean), dated_class if dated else fixed_class
        if related:
            if value is None:
                return empty, fixed_class
            key = value.pk
            if key not in printed:
                printed[key] = conditional_escape(value)
            return printed[key], fixed_class
        if choices is not None:
            try:
                return choices.get(value, empty), fixed_class
            except TypeError:  # an unhashable value: Django's own path
                pass
        if dates is not None:
            if value is None or value == "":
                return empty, fixed_class
            if in_local_time:  # as display_for_field: in the reader's time zone
                value = timezone.template_localtime(value)  # type: ignore[attr-defined]
            return dates(value), fixed_class
        return display_for_field(value, field, empty, avoid_link=link), fixed_class  # type: ignore[arg-type]

    # The cells as `format_html` writes them (its arguments escaped unless already safe), without
    # its call per cell: ~7,000 a page with its checks for lazy arguments.
    if not link:

        def cell(obj: Any) -> SafeString:
            text, row_class = shown(obj)
            return SafeString(f"<td{row_class}>{_escaped(text)}</td>")

        return cell
    to_field = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname

    def linked(obj: Any) -> SafeString:
        text, row_class = shown(obj)
        try:
            url = cl.url_for_result(obj)
        except NoReverseMatch:
            inner = _escaped(text)
        else:
            if cl.preserved_filters:  # Django's ChangeList (common.changelist puts them in url)
                url = add_preserved_filters(
                    {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
                )
            opener = (
                format_html(' data-popup-opener="{}"', obj.serializable_value(to_field))
                if cl.is_popup
                else ""
            )
            inner = SafeString(f'<a href="{_escaped(url)}"{opener}>{_escaped(text)}</a>')
        return SafeString(f"<{tag}{row_class}>{inner}</{tag}>")

    return linked


def _columns(cl: ChangeList) -> list[Cell]:
    """One writer per column, with the link where `items_for_result` puts it."""
    writers, first = [], True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        writers.append(_column(cl, index, name, link=link, tag="th" if first else "td"))
        if link:
            first = False
    return writers


def result_rows(cl: ChangeList) -> Iterator[list[SafeString]]:
    """The cells of each row, as `admin/change_list_results.html` prints them (a list without
    inline editing: common.results_table)."""
    writers = _columns(cl)
    for obj in cl.result_list:
        yield [write(obj) for write in writers]

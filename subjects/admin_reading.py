"""The subject's page is read first and edited on request.

Officers open a person's page far more often to look than to change something, and Django's
change form renders each of the twenty fields and every handle through widget templates (a
quarter of the page's time). So a GET shows the fields as text and the handles as a panel, with
an "Edit" button; `?edit=1` (and a popup, which is opened to change the person) gives the form.
Every save is a POST, and a POST is always the full form: nothing is saved differently. The
pages of the person's old versions (simple-history's, for reading only) are read the same way.
"""

from collections.abc import Callable
from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from common.fields import model_field
from subjects.admin_inlines import Button, Panel
from subjects.models import ContactHandle, Subject

EDIT_VAR = "edit"


def is_editing(request: HttpRequest) -> bool:
    """Whether the page is the form (a POST, `?edit=1`, a popup) rather than the person read."""
    return request.method != "GET" or EDIT_VAR in request.GET or IS_POPUP_VAR in request.GET


def edit_url(request: HttpRequest) -> str:
    """This page as the form, keeping the list's filters Django carries along."""
    query = request.GET.copy()
    query[EDIT_VAR] = "1"
    return f"{request.path}?{query.urlencode()}"


@admin.display(description=model_field(Subject, "country").verbose_name)
def country(subject: Subject) -> str:
    """The country by its name: Django's text of a choice field builds the choices first, all
    250 countries named and sorted, a sixth of the page's time. (Named as the field: its row on
    the page keeps the field's class.)"""
    return (
        cast(Country, subject.country).name if subject.country else admin.site.empty_value_display
    )


# Fields the page read shows through a display of its own.
READ_AS: dict[str, Callable[[Subject], Any]] = {"country": country}


def read_fieldsets(fieldsets: Any) -> list[Any]:
    """The fieldsets of the page read: every field as text."""
    return [
        (title, {**options, "fields": [READ_AS.get(name, name) for name in options["fields"]]})
        for title, options in fieldsets
    ]


def show_read(
    context: dict[str, Any], request: HttpRequest, subject: Subject, *, may_edit: bool
) -> None:
    """The page's context for the person read: the handles as the first panel, and for a user
    who may change the person, an Edit button leading to the form."""
    url = edit_url(request) if may_edit else ""
    context.update(
        title=_("View %s") % subject._meta.verbose_name, subject_reading=True, subject_edit_url=url
    )
    context["subject_panels"].insert(0, handles_panel(subject, url))
    if url:
        context["subject_buttons"].insert(0, Button(label=str(_("Edit")), url=url))


def handles_panel(subject: Subject, url: str) -> Panel:
    """The person's accounts in networks and messengers; the form edits them in place."""
    handles = subject.handles.order_by("kind", "value")
    return Panel(
        title=str(capfirst(ContactHandle._meta.verbose_name_plural)),
        headers=[_("kind"), _("account")],
        rows=[[handle.get_kind_display(), handle.value] for handle in handles],
        empty=str(_("No contact handles.")),
        links=[(str(_("Edit")), url)] if url else [],
    )

"""The subject's page: one place for everything held on the person.

Other apps put their parts on it through `subjects.admin_inlines` (panels, buttons, actions);
this module adds the subject's own: the merged history and the block and export buttons. Panels
are read-only tables (rendering editable inlines for every consent and request was most of the
page's time); the rows are edited on their own pages, handles stay editable in place.
"""

from typing import Any

from django.contrib.admin import helpers
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from subjects.admin_inlines import (
    Button,
    Panel,
    add_subject_button,
    add_subject_panel,
    subject_page_buttons,
    subject_page_panels,
)
from subjects.history import history_entries, subject_history_index
from subjects.models import Subject, SubjectState

HISTORY_ON_PAGE = 10
HISTORY_PER_PAGE = 50


def page_parts(request: HttpRequest, subject: Subject) -> dict[str, Any]:
    """The panels and buttons of the subject's page, as the template shows them."""
    panels = [maker(request, subject) for _place, maker in subject_page_panels]
    buttons = [maker(request, subject) for _place, maker in subject_page_buttons]
    return {
        "subject_panels": [panel for panel in panels if panel is not None],
        "subject_buttons": [button for button in buttons if button is not None],
    }


def list_action_button(
    label: Any, action: str, subject: Subject, *, danger: bool = False
) -> Button:
    """A button that asks the subject list's `action` for this one subject: the action's own
    confirmation page follows."""
    return Button(
        label=str(label),
        url=reverse("admin:subjects_subject_changelist"),
        post={"action": action, helpers.ACTION_CHECKBOX_NAME: str(subject.pk)},
        danger=danger,
    )


def history_page(subject: Subject, number: Any) -> Any:
    """One page of the subject's merged history, its entries readable (`page.entries`)."""
    rows: Any = subject_history_index(subject)  # counted and sliced as a paginator wants
    page = Paginator(rows, HISTORY_PER_PAGE).get_page(number)
    page.entries = history_entries(list(page.object_list))  # type: ignore[attr-defined]
    return page


@add_subject_panel(90)
def history_panel(request: HttpRequest, subject: Subject) -> Panel:
    rows = list(subject_history_index(subject)[: HISTORY_ON_PAGE + 1])
    entries = history_entries(rows[:HISTORY_ON_PAGE])
    history_url = reverse("admin:subjects_subject_history", args=[subject.pk])
    return Panel(
        title=str(_("History of the person and everything attached")),
        headers=[
            _("Date/time"),
            _("Record"),
            _("Action"),
            _("Changes"),
            _("Changed by"),
            _("Change reason"),
        ],
        rows=[
            [
                entry.when,
                format_html('<a href="{}">{}</a>', entry.url, entry.what)
                if entry.url
                else entry.what,
                entry.action,
                format_html_join(
                    "",
                    "<li><strong>{}:</strong> {}&nbsp;&rarr;&nbsp;{}</li>",
                    ((c.field, c.old, c.new) for c in entry.changes),
                ),
                entry.actor,
                entry.reason,
            ]
            for entry in entries
        ],
        empty=str(_("No history yet.")),
        more_url=history_url if len(rows) > HISTORY_ON_PAGE else "",
        links=[(str(_("Whole history")), history_url)],
    )


@add_subject_button(20)
def block_button(request: HttpRequest, subject: Subject) -> Button | None:
    if not request.user.has_perm("subjects.change_subject"):
        return None
    if subject.state == SubjectState.ACTIVE:
        return list_action_button(_("Block processing"), "block_subjects", subject)
    if subject.state == SubjectState.BLOCKED:
        return list_action_button(_("Lift the block"), "unblock_subjects", subject)
    return None


@add_subject_button(40)
def export_button(request: HttpRequest, subject: Subject) -> Button | None:
    if not request.user.has_perm("subjects.view_subject") or subject.state == SubjectState.ERASED:
        return None
    url = reverse("admin:subjects_subject_export") + f"?id__exact={subject.pk}"
    return Button(label=str(_("Export (CSV, XLSX)")), url=url)


def masked_email(email: str) -> str:
    """`a***@mail.kz`: enough to tell two people apart, not enough to write to them."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else ""


def picker_label(subject: Subject) -> str:
    """How a subject is named in pickers: namesakes told apart by e-mail (masked) and year of
    birth, when known."""
    details = [masked_email(subject.email)] if subject.email else []
    if subject.birth_date:
        details.append(str(subject.birth_date.year))
    name = str(subject)
    return f"{name} ({', '.join(details)})" if details else name

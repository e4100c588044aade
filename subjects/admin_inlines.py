"""Apps above `subjects` add panels, buttons, actions and notes to the subject admin here;
`subjects` imports none of them."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.admin.options import InlineModelAdmin
from django.http import HttpRequest

T = TypeVar("T", bound=type[InlineModelAdmin])
A = TypeVar("A", bound=Callable)
N = TypeVar("N", bound=Callable[[Any], str | None])
F = TypeVar("F", bound=type)


@dataclass(frozen=True)
class Panel:
    """One read-only section of the subject's page: a titled table, or a refusal in its place.

    A panel shows the first rows only (each app decides how many) and links to all of them:
    the page stays as fast with a thousand consents as with one.
    """

    title: str
    headers: Sequence[Any] = ()  # texts, lazy or not
    rows: Sequence[Sequence[Any]] = ()  # cells: text, or safe HTML (links)
    empty: str = ""
    more_url: str = ""  # all the rows, when more exist than are shown
    links: Sequence[tuple[str, str]] = ()  # (label, url) under the table
    refused: str = ""  # said instead of the table to a user who may not see it


@dataclass(frozen=True)
class Button:
    """One action of the subject's page, leading to that action's own confirmation page."""

    label: str
    url: str
    post: dict[str, str] = field(default_factory=dict)  # sent as a form (an admin list action)
    danger: bool = False


PanelMaker = Callable[[HttpRequest, Any], Panel | None]
ButtonMaker = Callable[[HttpRequest, Any], Button | None]
M = TypeVar("M", PanelMaker, ButtonMaker)

subject_page_inlines: list[type[InlineModelAdmin]] = []
# (place on the page, panel maker): lower places first.
subject_page_panels: list[tuple[int, PanelMaker]] = []
subject_page_buttons: list[tuple[int, ButtonMaker]] = []
# (action function, the permission a user needs to see it)
subject_list_actions: list[tuple[Callable, str]] = []
# The name an action declares (`@admin.action(permissions=[NAME])`) -> the "app.codename" a user
# needs for it: the subject admin answers has_NAME_permission from here.
subject_action_permissions: dict[str, str] = {}


def add_subject_inline(inline: T) -> T:
    subject_page_inlines.append(inline)
    return inline


def _add_in_place(makers: list[tuple[int, M]], place: int) -> Callable[[M], M]:
    """Register a maker of the subject's page at its place (lower places first)."""

    def register(maker: M) -> M:
        makers.append((place, maker))
        makers.sort(key=lambda entry: entry[0])
        return maker

    return register


def add_subject_panel(place: int) -> Callable[[PanelMaker], PanelMaker]:
    return _add_in_place(subject_page_panels, place)


def add_subject_button(place: int) -> Callable[[ButtonMaker], ButtonMaker]:
    return _add_in_place(subject_page_buttons, place)


def add_subject_action(permission: str) -> Callable[[A], A]:
    """Register an action of the subject list; it declares one permission name, which `permission`
    grants."""

    def register(action: A) -> A:
        [name] = action.allowed_permissions  # type: ignore[attr-defined]
        subject_action_permissions[name] = permission
        subject_list_actions.append((action, permission))
        return action

    return register


# Filters of the subject list that other apps answer (e.g. erasure: "no legal basis").
subject_list_filters: list[type] = []


def add_subject_filter(list_filter: F) -> F:
    subject_list_filters.append(list_filter)
    return list_filter


# Notes shown at the top of a subject's page, each a function of the subject (None: nothing).
subject_page_notes: list[Callable[[Any], str | None]] = []


def add_subject_note(note: N) -> N:
    subject_page_notes.append(note)
    return note

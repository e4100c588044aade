"""Apps above `subjects` add inlines, actions and page notes to the subject admin here;
`subjects` imports none of them."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.admin.options import InlineModelAdmin

T = TypeVar("T", bound=type[InlineModelAdmin])
A = TypeVar("A", bound=Callable)
N = TypeVar("N", bound=Callable[[Any], str | None])
F = TypeVar("F", bound=type)

subject_page_inlines: list[type[InlineModelAdmin]] = []
# (action function, the permission a user needs to see it)
subject_list_actions: list[tuple[Callable, str]] = []
# The name an action declares (`@admin.action(permissions=[NAME])`) -> the "app.codename" a user
# needs for it: the subject admin answers has_NAME_permission from here.
subject_action_permissions: dict[str, str] = {}


def add_subject_inline(inline: T) -> T:
    subject_page_inlines.append(inline)
    return inline


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

"""The boxes of the admin index (requests, breaches, site forms): who sees one, where it links,
and the one table every box is drawn with (templates/admin/index_box.html)."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import template
from django.db import models
from django.http import HttpRequest
from django.urls import reverse

# The context of a box not shown (the user may not see what it counts, or there is nothing).
NO_BOX: dict[str, Any] = {"box": None}

BoxTag = Callable[[template.Context], dict[str, Any]]


@dataclass(frozen=True)
class BoxRow:
    """A line of a box: what it counts, the count (or a short text), where it links, and whether
    the count is shown in red (something is overdue)."""

    label: str
    count: int | str
    link: str = ""
    alert: bool = False


def box_shown_to(context: template.Context, permission: str) -> bool:
    """A box is shown to those who may view the rows it counts."""
    request: HttpRequest = context["request"]
    return request.user.has_perm(permission)


def changelist_links(url_name: str, queries: Mapping[str, str]) -> dict[str, str]:
    """Links, by key, to the changelist filtered by each query."""
    changelist = reverse(url_name)
    return {key: f"{changelist}?{query}" for key, query in queries.items()}


def index_box(
    box_id: str, caption: str, rows: Sequence[BoxRow], *, shown_empty: bool = False
) -> dict[str, Any]:
    """The context of templates/admin/index_box.html; a box whose every count is nought is not
    shown, unless it is one the desk always shows."""
    if not shown_empty and not any(row.count for row in rows):
        return NO_BOX
    return {"box": {"id": box_id, "caption": caption, "rows": rows}}


def index_box_tag(
    register: template.Library, model: type[models.Model], queries: Mapping[str, str]
) -> Callable[[Callable[[dict[str, str]], dict[str, Any]]], BoxTag]:
    """Registers a function that makes a box of `model`'s rows (with index_box) as the index's
    tag of its name. It is called only for those who may view the rows, with the links, by key,
    to their changelist filtered by each query."""
    app, name = model._meta.app_label, model._meta.model_name

    def register_box(box: Callable[[dict[str, str]], dict[str, Any]]) -> BoxTag:
        def tag(context: template.Context) -> dict[str, Any]:
            if not box_shown_to(context, f"{app}.view_{name}"):
                return NO_BOX
            return box(changelist_links(f"admin:{app}_{name}_changelist", queries))

        return register.inclusion_tag(
            "admin/index_box.html", takes_context=True, name=box.__name__
        )(tag)

    return register_box

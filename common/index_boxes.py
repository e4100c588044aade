"""The boxes of the admin index (requests, breaches, site forms): who sees one, where it links,
and the one table every box is drawn with (templates/admin/index_box.html)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse


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


# The context of a box not shown (the user may not see what it counts, or there is nothing).
NO_BOX: dict[str, Any] = {"box": None}


def index_box(box_id: str, caption: str, rows: Sequence[BoxRow]) -> dict[str, Any]:
    """The context of templates/admin/index_box.html."""
    return {"box": {"id": box_id, "caption": caption, "rows": rows}}

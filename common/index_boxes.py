"""The boxes of the admin index (requests, breaches, site forms): who sees one, where it links."""

from collections.abc import Mapping

from django import template
from django.http import HttpRequest
from django.urls import reverse


def box_shown_to(context: template.Context, permission: str) -> bool:
    """A box is shown to those who may view the rows it counts."""
    request: HttpRequest = context["request"]
    return request.user.has_perm(permission)


def changelist_links(url_name: str, queries: Mapping[str, str]) -> dict[str, str]:
    """Links, by key, to the changelist filtered by each query."""
    changelist = reverse(url_name)
    return {key: f"{changelist}?{query}" for key, query in queries.items()}

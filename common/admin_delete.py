"""The delete confirmation lists records, not the links between them.

Django lists the rows of its automatic many-to-many tables too ("Group-permission
relationship: Group_permissions object (1)"): links, named in code, in English, that go with
the object anyway. They are left out of the list and of the summary of counts.
"""

from functools import cache
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.utils.text import capfirst


@cache
def _link_names() -> tuple[tuple[str, ...], frozenset[str]]:
    """The prefixes Django gives link rows in the list, and the summary's names of their tables."""
    links = [model._meta for model in apps.get_models(include_auto_created=True)
             if model._meta.auto_created]  # fmt: skip
    prefixes = tuple(f"{capfirst(str(opts.verbose_name))}: " for opts in links)
    return prefixes, frozenset(str(opts.verbose_name_plural) for opts in links)


def _without_links(items: list[Any], prefixes: tuple[str, ...]) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        if isinstance(item, list):
            nested = _without_links(item, prefixes)
            if nested:
                kept.append(nested)
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


class LinkRowsHiddenOnDeleteMixin:
    """Admin mixin: the delete confirmation without Django's many-to-many link rows."""

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, ...]:
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(  # type: ignore[misc]
            objs, request
        )
        prefixes, tables = _link_names()
        counts = {name: n for name, n in counts.items() if str(name) not in tables}
        return _without_links(to_delete, prefixes), counts, perms_needed, protected

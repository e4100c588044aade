"""Forgetting values, generically over the personal-data registry.

Given a model and which of its rows belong to a person, blank every personal field of those rows
and of their history rows, and say which files they pointed at. Nothing here knows a domain
model: erasure and retention decide whose rows, this module removes the values.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import models, transaction

from common import personal_data
from common.fields import model_field
from common.history import delete_with_history
from common.history_guard import history_blank


@dataclass
class BlankingResult:
    rows: int = 0
    history_rows: int = 0
    files: set[str] = field(default_factory=set)


def history_model_of(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model, "history", None)
    return manager.model if manager is not None else None


def object_ids(model: type[models.Model], path: str, target_ids: Iterable[int]) -> set[int]:
    """Primary keys of `model` rows, living or left only in history, that reach `target_ids`.

    `path` is a lookup such as "subject" or "consent__subject"; "" means the ids themselves.
    Rows deleted long ago still count: their history holds the values too.
    """
    targets = set(target_ids)
    if not path or not targets:
        return targets
    first, _, rest = path.partition("__")
    if model._meta.get_field(first).many_to_many:  # simple-history keeps no history of these
        rows = model._default_manager.filter(**{f"{path}__in": targets})
        return set(rows.values_list("pk", flat=True))
    relation = model_field(model, first)
    related_model = relation.related_model
    if not isinstance(related_model, type):
        raise TypeError(f"{model.__name__}.{first} is not a relation to a model")
    lookup = {f"{relation.attname}__in": object_ids(related_model, rest, targets)}
    ids = set(model._default_manager.filter(**lookup).values_list("pk", flat=True))
    history = history_model_of(model)
    if history is not None:
        ids |= set(history._default_manager.filter(**lookup).values_list("id", flat=True))
    return ids


def blank_value(model_field: "models.Field[Any, Any]") -> object:
    """What a forgotten value becomes: NULL where allowed, else the field's empty value."""
    if model_field.null:
        return None
    if isinstance(model_field, models.JSONField):
        default = model_field.get_default()
        return type(default)() if isinstance(default, list | dict) else {}
    return ""


def blank_rows(model: type[models.Model], ids: set[int]) -> BlankingResult:
    """Blank the registry's personal fields of these rows and of all their history rows.

    The rows are updated in place, set-based and without new history rows: this is the erasure
    door of the audit trail, the one place that may do so (see common.history_guard).
    """
    result = BlankingResult()
    classification = personal_data.classification_for(model)
    if classification is None or not classification.personal or not ids:
        return result
    fields = [model_field(model, name) for name in classification.personal]
    file_fields = [f for f in fields if isinstance(f, models.FileField)]
    history = history_model_of(model)

    live = model._default_manager.filter(pk__in=ids)
    for file_field in file_fields:
        result.files.update(n for n in live.values_list(file_field.attname, flat=True) if n)
    result.rows = live.update(**{f.attname: blank_value(f) for f in fields})

    if history is not None:
        past = history._default_manager.filter(id__in=ids)
        for file_field in file_fields:
            result.files.update(n for n in past.values_list(file_field.attname, flat=True) if n)
        history_ids = list(past.values_list("history_id", flat=True))
        # Personal fields are columns (a non-concrete field has none, and nothing to blank).
        columns = [column for f in fields if (column := model_field(history, f.name).column)]
        result.history_rows = history_blank(history, columns=columns, history_ids=history_ids)
    return result


def holds_personal_values(model: type[models.Model]) -> models.Q:
    """Rows of `model` with at least one personal field not yet blank."""
    classification = personal_data.classification_for(model)
    condition = models.Q(pk__in=[])
    for name in classification.personal if classification else ():
        blank = blank_value(model_field(model, name))
        filled = models.Q(**{f"{name}__isnull": False})
        if blank is not None:
            filled &= ~models.Q(**{name: blank})
        condition |= filled
    return condition


def record_delete(instance: models.Model, *, actor: User | None, reason: str) -> None:
    """Delete a row that holds personal data without leaving the data in its history.

    The registry's personal fields of the row and of every history row are blanked first, so
    the "deleted" history row copies blank values too; the files go once the transaction
    commits. The one way to delete such a row (a mistaken draft, an unreadable message); a
    person is forgotten by erasure, never by deleting rows.
    """
    model = type(instance)
    with transaction.atomic():
        result = blank_rows(model, {instance.pk})
        instance.refresh_from_db()
        delete_with_history(instance, actor=actor, reason=reason)

        def delete_files() -> None:
            for name in result.files:
                default_storage.delete(name)

        transaction.on_commit(delete_files)

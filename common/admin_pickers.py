"""How rows are named in pickers: a model's admin may define `picker_label(obj)` (namesakes told
apart by more than `str(obj)`); autocomplete results and the choices of every foreign key and
many-to-many field pointing at that model then use it."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db import models


def picker_label_of(
    model: type[models.Model], site: admin.AdminSite
) -> Callable[[Any], str] | None:
    model_admin = site._registry.get(model)
    return getattr(model_admin, "picker_label", None)


def labelled(field: forms.Field | None, label: Callable[[Any], str] | None) -> forms.Field | None:
    """`field` naming its choices with `label` (a ModelChoiceField's own hook)."""
    if label is not None and isinstance(field, forms.ModelChoiceField):
        field.label_from_instance = label  # type: ignore[method-assign,assignment]
    return field


class PickerLabelMixin:
    """ModelAdmin mixin: foreign keys and many-to-many fields name their choices with the target
    admin's `picker_label`."""

    admin_site: admin.AdminSite

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        return labelled(field, picker_label_of(db_field.related_model, self.admin_site))

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        return labelled(field, picker_label_of(db_field.related_model, self.admin_site))


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete results, each named by the admin's `picker_label` when it has one."""

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, str]:
        result: dict[str, str] = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "picker_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result

"""Fields of the project's own, and the label of a model's field as people read it.

MultipleChoiceField: a list of choices stored as JSON: works on PostgreSQL and on the demo's
SQLite alike.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class MultipleChoiceField(models.JSONField):
    """A JSON list whose items must come from `choices`; edited as checkboxes in the admin."""

    def __init__(self, *args: Any, item_choices: Any = (), **kwargs: Any) -> None:
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        kwargs["blank"] = self.blank  # __init__ defaults it to True: record False explicitly
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        allowed = {key for key, _label in self.item_choices}
        if not isinstance(value, list) or any(item not in allowed for item in value):
            raise ValidationError(_("Choose only from the listed values."), code="invalid_choice")

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.TypedMultipleChoiceField(
            choices=self.item_choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def labels(self, value: list[str]) -> list[str]:
        names = dict(self.item_choices)
        return [str(names.get(item, item)) for item in value or []]


def model_field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    """One of the model's own fields (a column or a forward relation), never a reverse one."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a reverse relation, not a field")
    return field


def field_label(model: type[models.Model], name: str) -> str:
    """The verbose name of one of the model's own fields, in the active language."""
    return str(model_field(model, name).verbose_name)

"""The base of every model that holds personal data."""

from collections.abc import Collection, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from common import personal_data
from common.validators import CARD_NUMBER_MESSAGE, contains_card_number


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_in(item)


class PersonalDataModel(models.Model):
    """Refuses payment card numbers in every personal-data field the registry names.

    The operator's policy says it does not process card data, so no text field, file name or
    JSON payload that holds personal data may carry one, whoever writes it (admin, import, form).
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        errors: dict[str, list[str]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        classification = personal_data.classification_for(type(self))
        for name in classification.personal if classification else ():
            if name in (exclude or ()) or name in errors:
                continue
            value = getattr(self, name)
            if isinstance(value, models.fields.files.FieldFile):
                value = value.name
            if any(contains_card_number(text) for text in _strings_in(value)):
                errors[name] = [str(CARD_NUMBER_MESSAGE)]
        if errors:
            raise ValidationError(errors)

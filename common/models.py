"""The base of every model that holds personal data, and the working-day calendar's exceptions."""

import functools
from collections.abc import Collection, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from common import personal_data
from common.history import AuditHistory
from common.model_fields import created_at_field
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


@functools.cache
def _choice_labels(field: models.Field) -> dict[Any, Any]:  # type: ignore[type-arg]
    return dict(make_hashable(field.flatchoices))


class PersonalDataModel(models.Model):
    """Refuses payment card numbers in every personal-data field the registry names.

    The operator's policy says it does not process card data, so no text field or JSON payload
    that holds personal data may carry one, whoever writes it (admin, import, form).
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field) -> Any:  # type: ignore[type-arg]
        """Django's `get_<field>_display`, its choices made into a dict once per field instead of
        on every call (~35 µs): the admin's lists ask it twice a row (a request's kind in its
        column and in the row checkbox's label). Choices given as a callable stay Django's."""
        if not isinstance(field.choices, list | tuple):
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        value = getattr(self, field.attname)
        label = _choice_labels(field).get(make_hashable(value), value)
        return force_str(label, strings_only=True)  # the label as the reader's language has it

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        errors: dict[str, list[Any]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        classification = personal_data.classification_for(type(self))
        for name in classification.personal if classification else ():
            if name in (exclude or ()) or name in errors:
                continue
            if not self._meta.get_field(name).editable:
                # Made by the system (subjects' contact digests: 64 hex digits, which can pass
                # Luhn by chance), never written by people: nothing to refuse.
                continue
            value = getattr(self, name)
            if isinstance(value, models.fields.files.FieldFile):
                # Stored names are made by the system (digests, storage suffixes), and a long run
                # of hex digits can pass Luhn by chance: only the values people write are checked.
                continue
            if any(contains_card_number(text) for text in _strings_in(value)):
                errors[name] = [str(CARD_NUMBER_MESSAGE)]
        if errors:
            raise ValidationError(errors)


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Extra day off")
    WORKING_DAY = "working_day", _("Extra working day")


@personal_data.classify(subject_path=None, other=("id", "date", "kind", "note", "created_at"))
class CalendarDay(models.Model):
    """A day the working-day calendar treats otherwise than the `holidays` package says.

    Kazakhstan moves days off by government decree, often late in the year before; the package
    learns of them only in a later release. The privacy officer enters such a day here (a worked
    Saturday, an extra day off) and every deadline counted afterwards follows it.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    note = models.CharField(
        _("decree or reason"),
        max_length=255,
        help_text=_("E.g. the government decree that moved the day, with its number and date."),
    )
    created_at = created_at_field(_("created at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("working-day calendar")
        ordering = ("-date",)

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"

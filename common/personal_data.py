"""The personal-data registry: the one place that says which field of which model is personal data.

Each model declares itself with `@classify(...)` next to its definition. Erasure, the access report,
exports and the "list of personal data" read this registry; nothing keeps a second list. The system
check in `common.checks` fails when a field of a project model (or of its history model) is missing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataCategory(models.TextChoices):
    """The categories of personal data in the operator's policy, plus what the back-office adds."""

    NAME = "name", _("Last name, first name, patronymic")
    EMAIL = "email", _("E-mail address")
    PHONE = "phone", _("Contact phone number")
    BIRTH_DATE = "birth_date", _("Date of birth")
    LOCATION = "location", _("Country, city, address")
    OCCUPATION = "occupation", _("Position (profession), organisation")
    PHOTO = "photo", _("Photograph")
    ONLINE = "online", _("Personal website, social network and messenger accounts")
    AGREEMENT = "agreement", _("Data written into agreements (passport data, payment requisites)")
    IDENTIFIER = "identifier", _("Individual identification number (IIN)")
    CORRESPONDENCE = "correspondence", _("Correspondence and evidence (messages, form submissions)")


# Fields simple-history adds to every history model. None of them holds the subject's data:
# services write change reasons that name the action, never the person.
HISTORY_FIELDS = frozenset(
    {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
)


@dataclass(frozen=True)
class Classification:
    """How one model's fields divide into personal data (with its category) and everything else.

    `subject_path` is the lookup from this model to the data subject it describes ("" for the
    subject itself, None when the model describes no subject).
    """

    model: type[models.Model]
    subject_path: str | None
    personal: dict[str, DataCategory]
    other: frozenset[str]

    def category_of(self, field_name: str) -> DataCategory | None:
        return self.personal.get(field_name)


_registry: dict[str, Classification] = {}

M = TypeVar("M", bound=type[models.Model])


def classify(
    *,
    subject_path: str | None,
    personal: dict[str, DataCategory] | None = None,
    other: Iterable[str] = (),
) -> Callable[[M], M]:
    """Class decorator: declare every concrete field of the model as personal or not."""

    def register(model: M) -> M:
        personal_fields = dict(personal or {})
        other_fields = frozenset(other)
        overlap = other_fields & personal_fields.keys()
        if overlap:
            raise ValueError(f"{model.__name__}: fields both personal and not: {sorted(overlap)}")
        _registry[model._meta.label_lower] = Classification(
            model=model,
            subject_path=subject_path,
            personal=personal_fields,
            other=other_fields,
        )
        return model

    return register


def classification_for(model: type[models.Model]) -> Classification | None:
    """The classification of a model, or of the model whose history it is."""
    base = getattr(model, "instance_type", None)  # set by simple-history on history models
    return _registry.get((base or model)._meta.label_lower)


def classified_models() -> list[Classification]:
    return list(_registry.values())


def field_names(model: type[models.Model]) -> list[str]:
    """Every field that holds a value for the model's rows: concrete fields and many-to-many."""
    return [
        f.name
        for f in model._meta.get_fields()
        if f.concrete or (f.many_to_many and not f.auto_created)  # not reverse relations
    ]


def unclassified_fields(model: type[models.Model]) -> list[str]:
    """Fields of `model` the registry does not classify (all of them when the model is absent)."""
    classification = classification_for(model)
    names = field_names(model)
    if classification is None:
        return names
    known = classification.personal.keys() | classification.other
    if getattr(model, "instance_type", None) is not None:
        known = known | HISTORY_FIELDS
    return [name for name in names if name not in known]


def stale_classifications(classification: Classification) -> list[str]:
    """Names the registry classifies that the model no longer has (a renamed or dropped field)."""
    names = set(field_names(classification.model))
    declared = classification.personal.keys() | classification.other
    return sorted(declared - names)

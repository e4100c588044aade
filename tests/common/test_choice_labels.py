"""The labels of choices (`get_<field>_display`) read as Django's, from a dict kept per field."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from common.models import PersonalDataModel


def _fields_with_choices() -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, field)
        for model in apps.get_models()
        if issubclass(model, PersonalDataModel)
        for field in model._meta.concrete_fields
        if field.choices and field.flatchoices is not None  # an array of choices has no label
    ]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_label_reads_as_djangos_in_every_language(language):
    pairs = _fields_with_choices()
    compared = 0
    with translation.override(language):
        for model, field in pairs:
            values = [value for value, _label in field.flatchoices]
            for value in [*values, "not-a-choice", None]:
                instance = model(**{field.attname: value})
                ours = getattr(instance, f"get_{field.name}_display")()
                djangos = models.Model._get_FIELD_display(instance, field)
                assert (ours, type(ours)) == (djangos, type(djangos)), (model, field.name, value)
                compared += 1
    assert len(pairs) >= 10  # the registers' states, kinds, channels...
    assert compared >= 100


def test_a_label_follows_the_language_it_is_read_in():
    from requests.models import RequestKind, SubjectRequest

    request = SubjectRequest(kind=RequestKind.RECTIFICATION)
    shown = {}
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            shown[language] = request.get_kind_display()

    assert shown["en"] == "Rectification"
    assert len(set(shown.values())) == 3

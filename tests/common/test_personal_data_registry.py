import dataclasses

import pytest
from django.core import management
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps

from common import personal_data
from common.checks import project_models, registry_errors
from common.personal_data import DataCategory, classify
from subjects.models import Subject


def test_every_project_field_is_classified():
    assert registry_errors(project_models()) == []


def test_history_models_are_checked_too():
    labels = {model._meta.label for model in project_models()}

    assert {"subjects.HistoricalSubject", "consents.HistoricalConsent"} <= labels


@isolate_apps("subjects")
def test_a_new_unclassified_field_fails_the_check():
    @classify(subject_path="subject", personal={"nickname": DataCategory.NAME}, other=("id",))
    class Probe(models.Model):
        nickname = models.CharField(max_length=10)
        favourite_colour = models.CharField(max_length=10)

        class Meta:
            app_label = "subjects"

    try:
        errors = registry_errors([Probe])
    finally:
        personal_data._registry.pop(Probe._meta.label_lower)

    assert [error.id for error in errors] == ["common.E001"]
    assert "favourite_colour" in errors[0].msg
    assert "nickname" not in errors[0].msg


def test_a_field_dropped_from_the_registry_fails_model_and_history(monkeypatch):
    # Given Subject's classification without its "city" field (as if a new field were added)
    original = personal_data._registry["subjects.subject"]
    personal = {k: v for k, v in original.personal.items() if k != "city"}
    monkeypatch.setitem(
        personal_data._registry,
        "subjects.subject",
        dataclasses.replace(original, personal=personal),
    )

    # When the system check runs, then both the model and its history model are reported
    with pytest.raises(SystemCheckError) as raised:
        management.call_command("check")

    message = str(raised.value)
    assert "subjects.Subject: fields not classified" in message
    assert "subjects.HistoricalSubject: fields not classified" in message
    assert "city" in message


def test_a_classified_field_the_model_lacks_is_reported(monkeypatch):
    original = personal_data._registry["subjects.subject"]
    monkeypatch.setitem(
        personal_data._registry,
        "subjects.subject",
        dataclasses.replace(original, other=original.other | {"nickname"}),
    )

    errors = registry_errors([])

    assert [error.id for error in errors] == ["common.E002"]
    assert "nickname" in errors[0].msg


def test_a_field_cannot_be_both_personal_and_not():
    with pytest.raises(ValueError, match="both personal and not"):
        classify(subject_path="", personal={"email": DataCategory.EMAIL}, other=("email",))(Subject)


def test_categories_come_from_the_registry():
    classification = personal_data.classification_for(Subject)

    assert classification.category_of("email") == DataCategory.EMAIL
    assert classification.category_of("state") is None

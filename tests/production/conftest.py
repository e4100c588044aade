import importlib

import pytest
from django.apps import apps


@pytest.fixture
def reseeded(committed_db) -> None:
    """The rows the migrations seed (purposes, the policy, deadline rules, answer templates).

    An earlier test with committed writes may have emptied the database; these tests need them.
    """
    if apps.get_model("consents", "Purpose").objects.exists():
        return
    for module, function in (
        ("consents.migrations.0002_seed_purposes", "seed_purposes"),
        ("consents.migrations.0003_seed_privacy_policy", "seed_policy"),
        ("consents.migrations.0005_purpose_default_categories", "fill_categories"),
        ("requests.migrations.0005_seed_deadline_rules", "seed"),
        ("requests.migrations.0006_seed_answer_templates", "seed"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)

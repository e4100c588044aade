"""System check: every field of every project model is classified in the personal-data registry."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import models

from common import personal_data


def project_models(app_configs: Iterable[AppConfig] | None = None) -> list[type[models.Model]]:
    """Models (history models included) of the apps whose package sits at the repository's top."""
    base_dir = Path(settings.BASE_DIR).resolve()
    configs = app_configs if app_configs is not None else apps.get_app_configs()
    found: list[type[models.Model]] = []
    for config in configs:
        if Path(config.path).resolve().parent == base_dir:
            found.extend(config.get_models())
    return found


def registry_errors(models_to_check: Iterable[type[models.Model]]) -> list[Error]:
    errors = []
    for model in models_to_check:
        missing = personal_data.unclassified_fields(model)
        if missing:
            errors.append(
                Error(
                    f"{model._meta.label}: fields not classified in the personal-data registry: "
                    f"{', '.join(missing)}.",
                    hint="Add each field to the model's @classify(personal=..., other=...).",
                    obj=model,
                    id="common.E001",
                )
            )
    for classification in personal_data.classified_models():
        stale = personal_data.stale_classifications(classification)
        if stale:
            errors.append(
                Error(
                    f"{classification.model._meta.label}: the registry names fields the model "
                    f"does not have: {', '.join(stale)}.",
                    hint="Remove or rename them in the model's @classify(...).",
                    obj=classification.model,
                    id="common.E002",
                )
            )
    return errors


@register(Tags.models)
def check_personal_data_registry(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    return registry_errors(project_models(app_configs))

"""System checks: the personal-data registry covers every field; Almaty's clock is UTC+5.

Kazakhstan moved to one time zone, UTC+5, on 1 March 2024 (tzdata 2024a). A server whose
time-zone database is older puts Almaty at UTC+6: receipts and due dates near midnight then
fall on the wrong day. Both Python's zone data and PostgreSQL's (used for date lookups in the
database) are checked.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError, connections, models
from django.utils import timezone

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


ALMATY_OFFSET = timedelta(hours=5)
TZ_HINT = (
    "Update the time-zone database to tzdata 2024a or later (the system's tzdata package, or "
    "the Python package tzdata), then restart."
)


def almaty_offset_errors(*, now: datetime | None = None, zone: tzinfo | None = None) -> list[Error]:
    """An error when the zone data in use does not put Asia/Almaty at UTC+05:00 today."""
    now = now or timezone.now()
    zone = zone or ZoneInfo("Asia/Almaty")
    offset = now.astimezone(zone).utcoffset()
    if offset == ALMATY_OFFSET:
        return []
    return [
        Error(
            f"Python's time-zone database puts Asia/Almaty at UTC{_signed(offset)} today; "
            "Kazakhstan is UTC+05:00 since 1 March 2024.",
            hint=TZ_HINT,
            id="common.E003",
        )
    ]


def database_almaty_offset_errors(alias: str) -> list[Error]:
    """The same question asked of the database (PostgreSQL keeps its own zone data)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT (now() AT TIME ZONE 'Asia/Almaty') - (now() AT TIME ZONE 'UTC')")
            (offset,) = cursor.fetchone()
    except DatabaseError:
        return []  # an unreachable database is reported by other checks
    if offset == ALMATY_OFFSET:
        return []
    return [
        Error(
            f"The database {alias!r} puts Asia/Almaty at UTC{_signed(offset)} today; "
            "Kazakhstan is UTC+05:00 since 1 March 2024.",
            hint="Update PostgreSQL's time-zone data (or the system's tzdata it uses), then "
            "restart the database.",
            id="common.E004",
        )
    ]


def _signed(offset: timedelta | None) -> str:
    if offset is None:
        return " (unknown)"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@register()
def check_almaty_offset(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    return almaty_offset_errors()


@register(Tags.database)
def check_database_almaty_offset(
    app_configs: Iterable[AppConfig] | None = None,
    databases: Iterable[str] | None = None,
    **kwargs: Any,
) -> list[Error]:
    return [error for alias in databases or () for error in database_almaty_offset_errors(alias)]

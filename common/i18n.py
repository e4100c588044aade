"""Picking the text of the current language from models that store kk/ru/en side by side."""

from django.db import models
from django.utils import translation

LANGUAGE_CODES = ("kk", "ru", "en")


def localized(instance: models.Model, field: str, language: str | None = None) -> str:
    """`instance.<field>_<lang>` for the active language, falling back to the others in order."""
    active = (language or translation.get_language() or "kk")[:2]
    order = [active, *[code for code in LANGUAGE_CODES if code != active]]
    for code in order:
        value = getattr(instance, f"{field}_{code}", "")
        if value:
            return value
    return ""

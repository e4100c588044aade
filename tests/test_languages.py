"""The admin speaks Kazakh, Russian and English, and each user switches between them."""

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PROJECT_APPS = ("organisation", "subjects", "consents", "processors", "inquiries", "requests")


def _registered_models():
    from django.contrib import admin

    return [model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_admin_index_names_every_model_and_app_in_the_chosen_language(officer_client, language):
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = officer_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert response["Content-Language"] == language
    with translation.override(language):
        names = [str(model._meta.verbose_name_plural) for model in _registered_models()]
        names += [str(apps.get_app_config(label).verbose_name) for label in PROJECT_APPS]
    for name in names:
        assert name.capitalize() in response.text or name in response.text, name


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_model_and_app_name_is_translated(language):
    with translation.override("en"):
        english = [str(m._meta.verbose_name_plural) for m in _registered_models()]
        english += [str(apps.get_app_config(label).verbose_name) for label in PROJECT_APPS]
    with translation.override(language):
        local = [str(m._meta.verbose_name_plural) for m in _registered_models()]
        local += [str(apps.get_app_config(label).verbose_name) for label in PROJECT_APPS]

    untranslated = [en for en, here in zip(english, local, strict=True) if en == here]
    assert untranslated == []


@pytest.mark.django_db
def test_the_language_switch_changes_the_admin_language(officer_client):
    response = officer_client.post(
        reverse("set_language"), {"language": "ru", "next": reverse("admin:index")}
    )
    page = officer_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert page["Content-Language"] == "ru"
    with translation.override("ru"):
        assert str(apps.get_app_config("subjects").verbose_name) in page.text

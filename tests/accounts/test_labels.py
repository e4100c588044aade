"""Permission and role names, stored in English, shown in the reader's language."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from accounts.labels import permission_label
from accounts.roles import STAFF


@pytest.fixture(autouse=True)
def _language_restored():
    """Pages asked for in kk or ru leave that language active in this thread: put it back."""
    with translation.override(translation.get_language()):
        yield


@pytest.mark.django_db
def test_a_permission_is_named_in_the_readers_language():
    add_consent = Permission.objects.get(codename="add_consent")
    export = Permission.objects.get(codename="export_mailing_list")

    with translation.override("kk"):
        assert permission_label(add_consent) == "Келісімдер | келісім | Қосу: келісім"
    with translation.override("ru"):
        assert permission_label(add_consent).endswith("Добавление: согласие")
    with translation.override("en"):
        assert permission_label(add_consent) == "Consents | consent | Can add: consent"
        assert permission_label(export).endswith("Can export the mailing list of a purpose")
    assert add_consent.name == "Can add consent"  # the stored name is left as Django wrote it


@pytest.mark.django_db
def test_the_group_page_lists_permissions_and_roles_in_kazakh(officer_client):
    group = Group.objects.get(name=STAFF)

    page = officer_client.get(
        reverse("admin:auth_group_change", args=[group.pk]), HTTP_ACCEPT_LANGUAGE="kk"
    ).content.decode()

    assert "Қарау: келісім" in page
    assert "Can add" not in page
    assert "Қызметкер" in page

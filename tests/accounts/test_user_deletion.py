"""Someone who wrote history is never deleted: the audit trail names them. Deactivate instead."""

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, transaction
from django.urls import reverse

from common.history import save_with_history
from subjects.models import Subject
from tests.subjects.factories import SubjectFactory


@pytest.fixture
def root_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 16))
    return client


@pytest.fixture
def writer(db) -> User:
    user = User.objects.create_user("writer", is_staff=True)
    save_with_history(SubjectFactory.build(), actor=user, reason="Form on the site")
    return user


def test_the_delete_page_refuses_a_user_who_wrote_history(root_client, writer):
    page = root_client.get(reverse("admin:auth_user_delete", args=[writer.pk]))
    assert "writer wrote 1 row of the history of “data subjects”" in page.text
    assert "deactivate the user instead" in page.text

    root_client.post(reverse("admin:auth_user_delete", args=[writer.pk]), {"post": "yes"})

    assert User.objects.filter(pk=writer.pk).exists()
    assert Subject.history.get().history_user == writer


def test_the_bulk_delete_action_refuses_too(root_client, writer):
    plain = User.objects.create_user("plain", is_staff=True)
    page = root_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [writer.pk, plain.pk], "post": "yes"},
    )
    assert "writer wrote 1 row of" in page.text
    assert set(User.objects.values_list("username", flat=True)) >= {"writer", "plain"}


def test_a_user_who_wrote_nothing_can_be_deleted(root_client):
    mistake = User.objects.create_user("typo", is_staff=True)
    response = root_client.post(
        reverse("admin:auth_user_delete", args=[mistake.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=mistake.pk).exists()


def test_outside_the_admin_the_database_refuses(writer):
    # Deleting would set history_user to NULL in the history table: the guard refuses it.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        writer.delete()
    assert Subject.history.get().history_user_id == writer.pk

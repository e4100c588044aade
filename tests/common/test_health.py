"""/healthz: what a load balancer asks, by address, over HTTP, without logging in."""

import pytest
from django.db import OperationalError, connection

from common import health


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)


def test_healthz_answers_ok_to_anyone_by_address_over_http(
    client, db, settings, django_assert_max_num_queries
):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["privacy.example.org"]

    with django_assert_max_num_queries(3):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response


def test_healthz_is_unavailable_while_a_migration_is_missing(client, db, monkeypatch):
    monkeypatch.setattr(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        lambda self, targets: [("subjects", "9999_later")],
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["migrations"] == "1 not applied"


def test_healthz_is_unavailable_when_the_database_is_not_reachable(client, db, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:  # the database server is down
        patched.setattr(connection, "ensure_connection", refuse)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable", "database": "unreachable", "migrations": "unknown",
    }  # fmt: skip

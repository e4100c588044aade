"""A kept database connection that PostgreSQL drops does not fail the next request.

Requests go through Django's WSGI handler itself (not the test client, which switches off the
per-request connection handling), as gunicorn's workers call it.
"""

import io
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

# Committed: a test transaction would hide the health check (Django skips it inside atomic).
# This file sorts after tests/erasure: committed tests empty the database for those after them,
# and the restore test there still needs the seeded purposes.
pytestmark = pytest.mark.usefixtures("committed_db")


def _get(path: str, cookie: str) -> int:
    environ = RequestFactory().get(path, HTTP_COOKIE=cookie).environ
    environ["wsgi.input"] = io.BytesIO()
    statuses: list[str] = []
    body: Any = WSGIHandler()(environ, lambda status, headers: statuses.append(status))  # type: ignore[arg-type]
    b"".join(body)
    body.close()
    return int(statuses[0].split()[0])


def _terminate(pid: int) -> None:
    """What a restart or failover does to the worker's connection, from another connection."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def logged_in_cookie(client, officer) -> str:
    client.force_login(officer)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _kill_between_requests(cookie: str) -> int:
    connection.close()
    assert _get("/admin/", cookie) == 200
    assert connection.connection is not None  # kept for the next request (CONN_MAX_AGE)
    _terminate(connection.connection.info.backend_pid)
    return _get("/admin/", cookie)


def test_the_request_after_postgresql_dropped_the_connection_succeeds(logged_in_cookie):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0

    assert _kill_between_requests(logged_in_cookie) == 200


def test_without_health_checks_the_same_request_fails(logged_in_cookie):
    """The control: the test above kills a connection that the next request would use."""
    connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    try:
        assert _kill_between_requests(logged_in_cookie) == 500
    finally:
        connection.settings_dict["CONN_HEALTH_CHECKS"] = True
        connection.close()

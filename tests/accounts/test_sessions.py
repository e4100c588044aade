"""Sessions: 30 idle minutes, 10 hours in all, a new key at login, gone with a deactivated user."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import LOGIN_AT, SEEN_AT
from accounts.services import user_deactivate

PASSWORD = "pw-for-tests-only"  # tests/conftest.py
INDEX = "/admin/"


def _shift(client: Client, key: str, seconds: float) -> None:
    """Move a timestamp in the client's session into the past (no waiting in tests)."""
    session = client.session
    session[key] -= seconds
    session.save()


def _logged_in(client: Client) -> bool:
    return client.get(INDEX).status_code == 200


def test_the_limits_are_thirty_idle_minutes_and_ten_hours():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ABSOLUTE_AGE == 10 * 60 * 60
    assert "accounts.middleware.SessionLimitsMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_a_session_idle_for_more_than_thirty_minutes_ends(officer_client, security_log):
    assert _logged_in(officer_client)

    _shift(officer_client, SEEN_AT, 29 * 60)
    still = _logged_in(officer_client)
    _shift(officer_client, SEEN_AT, 31 * 60)
    response = officer_client.get(INDEX)

    assert still
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not _logged_in(officer_client)
    [expired] = security_log.events("session_expired")
    assert expired == {**expired, "actor": "officer", "reason": "idle"}


@pytest.mark.django_db
def test_activity_does_not_stretch_a_session_past_ten_hours(officer_client, security_log):
    assert _logged_in(officer_client)
    _shift(officer_client, LOGIN_AT, 9 * 60 * 60 + 59 * 60)
    assert _logged_in(officer_client)

    _shift(officer_client, LOGIN_AT, 2 * 60)

    assert not _logged_in(officer_client)
    assert security_log.events("session_expired")[0]["reason"] == "absolute"


@pytest.mark.django_db
def test_the_server_side_expiry_is_thirty_minutes_too(officer_client):
    officer_client.get(INDEX)

    session = Session.objects.get(session_key=officer_client.cookies["sessionid"].value)

    assert session.expire_date <= timezone.now() + timedelta(minutes=30)


@pytest.mark.django_db
def test_login_gives_a_new_session_key(officer):
    client = Client()
    anonymous = client.session
    anonymous["language_hint"] = "kk"
    anonymous.save()
    before = client.cookies["sessionid"].value

    client.post(reverse("admin:login"), {"username": "officer", "password": PASSWORD})

    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.get(session_key=after).get_decoded()["_auth_user_id"] == str(officer.pk)


@pytest.fixture
def two_sessions(staff_user) -> tuple[Client, Client]:
    clients = (Client(), Client())
    for client in clients:
        client.force_login(staff_user)
        assert _logged_in(client)
    return clients


def _sessions_of(user: User) -> int:
    live = Session.objects.filter(expire_date__gt=timezone.now())
    return sum(s.get_decoded().get("_auth_user_id") == str(user.pk) for s in live)


@pytest.mark.django_db
def test_deactivating_a_user_ends_all_their_sessions(two_sessions, staff_user, officer,
                                                      security_log):  # fmt: skip
    Client().force_login(officer)  # someone else's session survives

    ended = user_deactivate(user=staff_user, actor=officer)

    assert ended == 2
    assert _sessions_of(staff_user) == 0
    assert _sessions_of(officer) == 1
    assert not any(_logged_in(client) for client in two_sessions)
    [event] = security_log.events("user_deactivated")
    assert event == {**event, "actor": "officer", "user_id": staff_user.pk, "logins_ended": 2}


@pytest.mark.django_db
def test_the_admin_action_deactivates_and_ends_sessions(two_sessions, staff_user):
    admin_client = Client()
    admin_client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 16))

    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [staff_user.pk]},
    )

    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert not staff_user.is_active
    assert _sessions_of(staff_user) == 0


@pytest.mark.django_db
def test_unticking_active_on_the_user_page_ends_the_sessions(two_sessions, staff_user, officer):
    user_admin = admin.site._registry[User]
    request = RequestFactory().post("/")
    request.user = officer
    staff_user.is_active = False

    user_admin.save_model(
        request, staff_user, SimpleNamespace(changed_data=["is_active"]), change=True
    )

    assert _sessions_of(staff_user) == 0


@pytest.mark.django_db
def test_a_user_deactivated_behind_the_admins_back_is_refused_next_time(two_sessions, staff_user):
    User.objects.filter(pk=staff_user.pk).update(is_active=False)

    assert not any(_logged_in(client) for client in two_sessions)

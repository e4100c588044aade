"""Login lockout (django-axes): per username and address, logged, and lifted by command or admin."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

PASSWORD = "pw-for-tests-only"  # tests/conftest.py
ATTACKER = "198.51.100.7"
OFFICE = "203.0.113.20"


def _login(client: Client, username: str, password: str, ip: str, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
        **extra,
    )


def _fail_five_times(username: str, ip: str) -> list[int]:
    return [_login(Client(), username, "wrong password", ip).status_code for _ in range(5)]


@pytest.mark.django_db
def test_five_failures_lock_the_username_from_that_address_only(officer, security_log):
    statuses = _fail_five_times("officer", ATTACKER)
    right_password_from_attacker = _login(Client(), "officer", PASSWORD, ATTACKER)
    from_the_office = _login(Client(), "officer", PASSWORD, OFFICE)

    assert statuses == [200, 200, 200, 200, 429]
    assert right_password_from_attacker.status_code == 429
    assert "locked" in right_password_from_attacker.text
    # The attacker can't lock the privacy officer out: from another address the login works.
    assert from_the_office.status_code == 302
    assert from_the_office["Location"] == reverse("admin:index")
    [lockout, *_repeat] = security_log.events("lockout")
    assert lockout == {**lockout, "username": "officer", "ip": ATTACKER, "known_user": True}


@pytest.mark.django_db
def test_another_user_from_the_same_address_is_not_locked(officer, auditor):
    _fail_five_times("officer", ATTACKER)

    assert _login(Client(), "auditor", PASSWORD, ATTACKER).status_code == 302


@pytest.mark.django_db
def test_a_success_before_the_limit_starts_the_count_again(officer):
    for _ in range(4):
        _login(Client(), "officer", "wrong password", OFFICE)
    assert _login(Client(), "officer", PASSWORD, OFFICE).status_code == 302

    assert _fail_five_times("officer", OFFICE)[:4] == [200, 200, 200, 200]


@pytest.mark.django_db
def test_the_reset_command_unlocks_and_the_unlock_is_logged(officer, security_log):
    _fail_five_times("officer", ATTACKER)

    call_command("axes_reset_username", "officer")

    assert not AccessAttempt.objects.filter(username="officer").exists()
    assert _login(Client(), "officer", PASSWORD, ATTACKER).status_code == 302
    [unlock] = security_log.events("unlock")
    assert unlock == {**unlock, "username": "officer", "ip": ATTACKER, "failures": 5}


@pytest.mark.django_db
def test_the_privacy_officer_unlocks_from_the_access_attempts_page(client, officer, auditor,
                                                                   security_log):  # fmt: skip
    _fail_five_times("auditor", ATTACKER)
    attempt = AccessAttempt.objects.get(username="auditor")
    client.force_login(officer)

    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert _login(Client(), "auditor", PASSWORD, ATTACKER).status_code == 302
    [unlock] = security_log.events("unlock")
    assert unlock["actor"] == "officer"
    assert unlock["username"] == "auditor"


@pytest.mark.django_db
def test_the_clean_up_action_removes_the_expired_attempts_only(client, officer, settings):
    settings.AXES_USE_ATTEMPT_EXPIRATION = False
    _fail_five_times("auditor", ATTACKER)
    old = AccessAttempt.objects.get(username="auditor")
    AccessAttempt.objects.filter(pk=old.pk).update(
        attempt_time=old.attempt_time - timedelta(days=30)
    )
    _fail_five_times("staffer", ATTACKER)
    client.force_login(officer)

    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "cleanup_expired_attempts", "_selected_action": [old.pk], "index": "0"},
    )

    assert response.status_code == 302
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["staffer"]


@pytest.mark.django_db
def test_the_auditor_may_read_lockouts_but_not_lift_them(client, auditor, officer):
    _fail_five_times("officer", ATTACKER)
    attempt = AccessAttempt.objects.get(username="officer")
    client.force_login(auditor)

    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    refused = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert refused.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_follows_the_client_not_the_proxy(settings, officer):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    for _ in range(5):
        _login(Client(), "officer", "wrong", proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}")
    # The same proxy forwards the office: its own address is in the header, and it gets in.
    # The spoofed left-most entry changes nothing: only the proxy's entry is believed.
    from_office = _login(
        Client(), "officer", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=f"{ATTACKER}, {OFFICE}"
    )

    assert AccessAttempt.objects.get(username="officer").ip_address == ATTACKER
    assert from_office.status_code == 302

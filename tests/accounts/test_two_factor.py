"""Two-factor login (TOTP): no admin page without a verified device; enrolment; no code reuse."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import PRIVACY_OFFICER
from tests.security.admin_urls import admin_pages, expected_statuses, one_of_each, role_perms

PASSWORD = "pw-for-tests-only"  # tests/conftest.py
VERIFY = "/admin/two-factor/"
ENROL = "/admin/two-factor/enrol/"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.OTP_REQUIRED = True


def code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong(device: TOTPDevice) -> str:
    return f"{(int(code(device)) + 500_000) % 1_000_000:06d}"


def _password_login(username: str) -> Client:
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    return client


def test_the_urls_keep_their_names():
    assert reverse("admin:two_factor_verify") == VERIFY
    assert reverse("admin:two_factor_enrol") == ENROL


@pytest.mark.django_db
def test_without_a_verified_device_no_admin_page_is_reachable(client, officer):
    pages = admin_pages(one_of_each(officer))
    client.force_login(officer)  # a password login: no device verified in this session

    reached = {}
    for page in pages:
        response = client.get(page.url)
        target = response.headers.get("Location", "")
        if page.name in {"two_factor_verify", "two_factor_enrol"}:
            continue
        if not (response.status_code == 302 and target.startswith(VERIFY)):
            reached[page.url] = response.status_code

    assert reached == {}
    assert len(pages) > 100


@pytest.mark.django_db
def test_a_password_login_leads_to_enrolment_with_a_qr_code_and_the_first_code_confirms(officer):
    client = _password_login("officer")

    index = client.get("/admin/")
    verify = client.get(index["Location"])
    enrol = client.get(verify["Location"])

    assert index["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert verify["Location"].startswith(ENROL)
    assert enrol.status_code == 200
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    assert "<svg" in enrol.text
    assert "qrline" in enrol.text
    grouped = re.search(r"<code>([A-Z2-7 ]+)</code>", enrol.text).group(1)
    shown = grouped.replace(" ", "")
    assert b32decode(shown + "=" * (-len(shown) % 8)) == device.bin_key
    assert "issuer=Derbes" in device.config_url
    assert f"<code>{grouped}</code>" in client.get(ENROL).text  # a reload: the same secret
    assert TOTPDevice.objects.filter(user=officer).count() == 1

    confirmed = client.post(ENROL, {"otp_token": code(device), "next": "/admin/"})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_first_code_does_not_confirm_the_device(officer, security_log):
    client = _password_login("officer")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=officer)

    response = client.post(ENROL, {"otp_token": wrong(device)})

    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302
    [failure] = security_log.events("otp_failure")
    assert failure["actor"] == "officer"
    assert wrong(device) not in security_log.lines[-1]


@pytest.fixture
def enrolled(officer) -> TOTPDevice:
    return TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)


@pytest.mark.django_db
def test_a_user_with_a_device_verifies_a_code_and_gets_a_new_session_key(enrolled, security_log):
    client = _password_login("officer")
    before = client.cookies["sessionid"].value

    refused = client.get("/admin/subjects/subject/")
    verified = client.post(
        refused["Location"], {"otp_token": code(enrolled), "next": "/admin/subjects/subject/"}
    )

    assert refused["Location"].startswith(VERIFY)
    assert verified["Location"] == "/admin/subjects/subject/"
    assert client.cookies["sessionid"].value != before
    assert client.get("/admin/subjects/subject/").status_code == 200
    assert [e["event"] for e in security_log.events() if e["event"].startswith("otp")] == [
        "otp_success"
    ]


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(enrolled, security_log):
    token = code(enrolled)
    first = _password_login("officer")
    assert first.post(VERIFY, {"otp_token": token})["Location"] == "/admin/"

    second = _password_login("officer")  # e.g. someone who watched the code being typed
    replay = second.post(VERIFY, {"otp_token": token})

    assert replay.status_code == 200
    assert "used already" in replay.text
    assert second.get("/admin/").status_code == 302
    assert len(security_log.events("otp_failure")) == 1
    assert token not in "".join(security_log.lines)


@pytest.mark.django_db
def test_after_a_wrong_code_the_device_refuses_for_a_while(settings, enrolled):
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600  # one wrong code: an hour's wait, for a stable test
    client = _password_login("officer")
    client.post(VERIFY, {"otp_token": wrong(enrolled)})

    response = client.post(VERIFY, {"otp_token": code(enrolled)})

    assert "Too many wrong codes" in response.text
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_an_enrolled_user_cannot_enrol_another_device_before_verifying(enrolled):
    client = _password_login("officer")

    response = client.get(ENROL)

    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=enrolled.user).count() == 1


@pytest.mark.django_db
def test_the_code_pages_are_for_logged_in_staff_only(enrolled):
    anonymous = Client()

    assert anonymous.get(VERIFY)["Location"].startswith(reverse("admin:login"))
    assert anonymous.post(ENROL, {"otp_token": code(enrolled)})["Location"].startswith(
        reverse("admin:login")
    )


@pytest.mark.django_db
def test_once_verified_every_page_answers_as_the_role_allows(officer, enrolled):
    client = _password_login("officer")
    client.post(VERIFY, {"otp_token": code(enrolled)})
    pages = admin_pages(one_of_each(officer))[:40]
    expected = {page.url: expected_statuses(page, role_perms(PRIVACY_OFFICER)) for page in pages}

    statuses = {page.url: client.get(page.url).status_code for page in pages}

    assert {url: s for url, s in statuses.items() if s not in expected[url]} == {}


def test_demo_and_test_settings_switch_two_factor_off_explicitly_and_production_on():
    from pathlib import Path

    settings_dir = Path(__file__).resolve().parents[2] / "config" / "settings"
    for module in ("demo.py", "test.py"):
        assert "\nOTP_REQUIRED = False\n" in (settings_dir / module).read_text()
    assert "\nOTP_REQUIRED = True\n" in (settings_dir / "base.py").read_text()
    assert "\nOTP_REQUIRED = True\n" in (settings_dir / "production.py").read_text()


@pytest.mark.django_db
def test_the_pages_read_the_user_itself_verified_or_not(enrolled):
    """accounts.middleware.LoadedUserMiddleware: the views get the user, not the lazy proxies
    of Django and django-otp, with what django-otp found still on it."""
    from django.contrib.auth.models import AnonymousUser, User

    client = _password_login("officer")
    refused = client.get("/admin/subjects/subject/")
    client.post(VERIFY, {"otp_token": code(enrolled)})
    shown = client.get("/admin/subjects/subject/")
    stranger = Client().get("/admin/subjects/subject/")

    assert type(refused.wsgi_request.user) is User
    assert refused.wsgi_request.user.is_verified() is False
    assert type(shown.wsgi_request.user) is User
    assert shown.wsgi_request.user.is_verified() is True
    assert shown.wsgi_request.user.otp_device == enrolled
    assert type(stranger.wsgi_request.user) is AnonymousUser

"""Every admin page and every public page carries the security headers, and none is cached."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import DOMAIN_APPS, PRIVACY_OFFICER
from consents.unsubscribe import unsubscribe_token
from tests.consents.factories import ConsentFactory, purpose
from tests.organisation.factories import OperatorProfileFactory
from tests.security.admin_urls import admin_pages, expected_statuses, one_of_each, role_perms


def _directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def header_problems(response) -> list[str]:
    """What is missing or wrong in the security headers of one response."""
    problems = []
    csp = _directives(response.headers.get("Content-Security-Policy", ""))
    if csp.get("script-src") != ["'self'"]:
        problems.append(f"script-src {csp.get('script-src')}")
    if csp.get("frame-ancestors") != ["'none'"] or csp.get("object-src") != ["'none'"]:
        problems.append("frame-ancestors/object-src")
    expected = {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    for header, value in expected.items():
        if response.headers.get(header) != value:
            problems.append(f"{header}: {response.headers.get(header)}")
    if "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control: {response.headers.get('Cache-Control')}")
    return problems


@pytest.mark.django_db
def test_every_admin_page_answers_the_privacy_officer_with_security_headers(client, officer):
    pages = admin_pages(one_of_each(officer))
    perms = role_perms(PRIVACY_OFFICER)
    client.force_login(officer)

    wrong, status = {}, {}
    for page in pages:
        response = client.get(page.url)
        status[page.url] = response.status_code
        expected = expected_statuses(page, perms)
        problems = header_problems(response)
        if response.status_code not in expected:
            problems.append(f"status {response.status_code}, expected {sorted(expected)}")
        if problems:
            wrong[page.url] = problems

    assert not wrong
    # The crawl is real: model pages, history versions, exports and custom views all took part.
    views = {page.view for page in pages}
    assert {"changelist", "add", "change", "delete", "history", "history_version"} <= views
    names = {page.name for page in pages}
    assert {"export", "app_list", "index", "two_factor_verify"} <= views
    assert {"consents_policyversion_outdated", "processors_register", "auth_user_password_change",
            "otp_totp_totpdevice_config"} <= names  # fmt: skip
    assert len(pages) > 100
    # The privacy officer opens every register's list.
    lists = [p for p in pages if p.view == "changelist" and p.model._meta.app_label in DOMAIN_APPS]
    assert len(lists) >= 10
    assert {status[p.url] for p in lists} == {200}


@pytest.mark.django_db
def test_public_pages_and_the_login_page_carry_the_same_headers(client):
    OperatorProfileFactory()
    consent = ConsentFactory(purpose=purpose("newsletter"))
    token = unsubscribe_token(subject=consent.subject, purpose=consent.purpose)
    anonymous = Client()

    responses = {
        "unsubscribe": anonymous.get(reverse("unsubscribe", args=[token])),
        "bad link": anonymous.get(reverse("unsubscribe", args=["nonsense"])),
        "root": anonymous.get("/"),
        "login": anonymous.get(reverse("admin:login")),
        "admin, anonymous": anonymous.get(reverse("admin:index")),
        "not found": anonymous.get("/no-such-page/"),
    }

    assert [r.status_code for r in responses.values()] == [200, 404, 302, 200, 302, 404]
    assert {name: header_problems(r) for name, r in responses.items() if header_problems(r)} == {}


@pytest.mark.django_db
def test_the_admin_works_under_the_policy_scripts_load_from_our_origin_only(officer_client):
    page = officer_client.get(reverse("admin:subjects_subject_add")).text

    # The admin's scripts are external files; an inline one would be blocked by script-src.
    assert '<script src="/static/admin/js/' in page or '<script src="/static/' in page
    assert "<script>" not in page
    assert " onclick=" not in page
    assert " onload=" not in page


@pytest.mark.django_db
def test_every_admin_model_has_a_row_for_the_crawl(officer):
    rows = one_of_each(officer)

    missing = sorted(model._meta.label for model, row in rows.items() if row is None)
    assert missing == [], "add a row maker to ROW_MAKERS in tests/test_admin_pages.py"


@pytest.mark.django_db
@pytest.mark.parametrize("secure", [True, False], ids=["https", "http (redirect)"])
def test_the_400_for_a_bad_host_carries_the_same_headers(settings, secure):
    # The HTTPS redirect reads the Host inside SecurityMiddleware itself; behind the proxy
    # (https) CommonMiddleware is the first to read it.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    anonymous = Client()
    proto = {"HTTP_X_FORWARDED_PROTO": "https"} if secure else {}

    responses = [
        anonymous.get(reverse("admin:login"), HTTP_HOST="evil.example", **proto),
        anonymous.post(reverse("admin:login"), HTTP_HOST="evil.example:8000", **proto),
        anonymous.get("/", HTTP_HOST="bad host!", **proto),
    ]

    assert [r.status_code for r in responses] == [400, 400, 400]
    assert [header_problems(r) for r in responses] == [[], [], []]

"""Each role against every admin page: exactly the expected status, and no agreement data leaks."""

import pytest
from django.urls import reverse

from accounts.roles import AUDITOR, PRIVACY_OFFICER, STAFF
from subjects.models import AgreementData
from tests.security.admin_urls import admin_pages, expected_statuses, one_of_each, role_perms
from tests.subjects.factories import AgreementDataFactory

CANARIES = {
    "passport_number": "QZ73150042",
    "passport_issued_by": "Canary office of the Mangystau region",
    "bank_name": "Canary Savings Bank of Aktau",
    "bank_account": "KZ47125KZT0000031337",
}

ROLES = {
    "officer": PRIVACY_OFFICER,
    "staff_user": STAFF,
    "auditor": AUDITOR,
    "no_role_user": None,
}


@pytest.fixture
def crawl(request, officer):
    """One row of every admin model, agreement data carrying canary values among them."""
    rows = one_of_each(officer)
    canary = AgreementDataFactory(actor=officer, **CANARIES)
    rows[AgreementData] = canary
    return rows, canary


def _statuses(client, pages) -> tuple[dict[str, int], dict[str, str]]:
    statuses, bodies = {}, {}
    for page in pages:
        response = client.get(page.url)
        statuses[page.url] = response.status_code
        content = b"".join(response.streaming_content) if response.streaming else response.content
        bodies[page.url] = content.decode(errors="replace")
    return statuses, bodies


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", list(ROLES))
def test_each_role_gets_exactly_the_expected_status_on_every_admin_page(
    request, client, crawl, user_fixture
):
    rows, canary = crawl
    pages = admin_pages(rows)
    perms = role_perms(ROLES[user_fixture])
    client.force_login(request.getfixturevalue(user_fixture))

    statuses, bodies = _statuses(client, pages)

    expected = {page.url: expected_statuses(page, perms) for page in pages}
    assert {url: s for url, s in statuses.items() if s not in expected[url]} == {}
    leaks = {url for url, body in bodies.items() if any(v in body for v in CANARIES.values())}
    if user_fixture == "officer":
        # Positive control: the canary is findable, on the one page that reveals it.
        change = reverse("admin:subjects_agreementdata_change", args=[canary.pk])
        assert leaks == {change}
    else:
        assert leaks == set()


# Pinned by hand, independent of the derivation above: if roles.py or an admin drifts, these
# name the page that changed.
PINNED = [
    ("staff_user", "admin:subjects_subject_export", 200),
    ("staff_user", "admin:subjects_subject_delete", 403),
    ("staff_user", "admin:subjects_agreementdata_changelist", 403),
    ("staff_user", "admin:axes_accessattempt_changelist", 403),
    ("auditor", "admin:subjects_agreementdata_change", 200),
    ("auditor", "admin:subjects_agreementdata_add", 403),
    ("auditor", "admin:subjects_agreementdataaccess_changelist", 200),
    ("auditor", "admin:axes_accessattempt_delete", 403),
    ("auditor", "admin:consents_consent_export", 200),
    ("auditor", "admin:auth_user_password_change", 403),
    ("officer", "admin:subjects_agreementdata_add", 200),
    ("officer", "admin:axes_accessattempt_delete", 200),
    ("officer", "admin:auth_user_change", 200),
    ("officer", "admin:auth_user_password_change", 403),
    ("officer", "admin:otp_totp_totpdevice_changelist", 200),
    ("officer", "admin:otp_totp_totpdevice_config", 403),
    ("auditor", "admin:otp_totp_totpdevice_changelist", 200),
    ("staff_user", "admin:otp_totp_totpdevice_changelist", 403),
    ("officer", "admin:subjects_subject_delete", 403),
    ("officer", "admin:consents_consent_delete", 403),
    ("officer", "admin:requests_answertemplate_delete", 200),
    ("officer", "admin:processors_processor_delete", 403),
    ("officer", "admin:erasure_erasurelog_add", 403),
    ("staff_user", "admin:processors_disclosure_changelist", 200),
    ("staff_user", "admin:requests_unreadablemessage_change", 200),
    ("staff_user", "admin:requests_deadlinerule_add", 403),
    ("staff_user", "admin:consents_suppressionentry_changelist", 403),
    ("auditor", "admin:axes_accessfailurelog_changelist", 200),
    ("auditor", "admin:requests_unreadablemessage_change", 200),
    ("no_role_user", "admin:subjects_subject_export", 403),
    ("no_role_user", "admin:subjects_subject_changelist", 403),
    ("no_role_user", "admin:index", 200),
]


@pytest.mark.django_db
def test_pinned_statuses(request, client, crawl):
    rows, _canary = crawl
    by_name = {page.name: page for page in admin_pages(rows)}
    results = []
    for user_fixture, name, _status in PINNED:
        client.force_login(request.getfixturevalue(user_fixture))
        results.append(
            (user_fixture, name, client.get(by_name[name.split(":")[1]].url).status_code)
        )

    assert results == PINNED


@pytest.mark.django_db
def test_the_auditor_sees_agreement_data_masked_and_no_view_is_logged(client, auditor, crawl):
    _rows, canary = crawl
    client.force_login(auditor)

    page = client.get(reverse("admin:subjects_agreementdata_change", args=[canary.pk])).text

    assert "••••••" in page
    assert not any(value in page for value in CANARIES.values())
    assert not canary.accesses.exists()

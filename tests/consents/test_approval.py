"""The processing policy is approved by the operator's order before it is published
(Art. 25(2)(1-1)); who approved which version stays with it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from common.approval import approval_record
from common.errors import DomainError
from consents import services
from consents.models import DocumentKind, PolicyVersion
from consents.selectors import policy_version_in_force
from tests.approval import approve_selected
from tests.consents.factories import seeded_policy


def draft(officer, label: str = "2") -> PolicyVersion:
    return services.policy_version_draft(
        kind=DocumentKind.PRIVACY_POLICY, version_label=label, text_kk="Саясат", actor=officer,
        reason="Drafted",
    )  # fmt: skip


def approve(version: PolicyVersion, officer) -> PolicyVersion:
    return approval_record(
        version, approved_by="Директор", order_number="15-ОД",
        order_date=timezone.localdate(), actor=officer, reason="Order signed",
    )  # fmt: skip


@pytest.mark.django_db
def test_a_draft_is_not_in_force(officer):
    draft(officer)

    assert policy_version_in_force() == seeded_policy()


@pytest.mark.django_db
def test_an_unapproved_version_is_not_published(officer):
    version = draft(officer)

    with pytest.raises(DomainError) as refused:
        services.policy_version_publish(version=version, actor=officer, reason="Publish")

    assert refused.value.code == "not_approved"
    assert "order" in refused.value.text
    version.refresh_from_db()
    assert version.published_at is None
    assert policy_version_in_force() == seeded_policy()


@pytest.mark.django_db
def test_an_approved_version_is_published_and_keeps_its_approval(officer):
    version = approve(draft(officer), officer)

    services.policy_version_publish(version=version, actor=officer, reason="Publish")

    version.refresh_from_db()
    assert policy_version_in_force() == version
    assert (version.approval_order_number, version.approved_by) == ("15-ОД", "Директор")
    assert version.approval_recorded_by == officer
    assert "15-ОД" in version.approval_text()
    history = version.history.order_by("history_date")
    reasons = list(history.values_list("history_change_reason", "history_user_id"))
    assert reasons == [("Drafted", officer.pk), ("Order signed", officer.pk),
                       ("Publish", officer.pk)]  # fmt: skip
    # The earlier version stays, without the approval it never had recorded.
    assert not seeded_policy().is_approved


@pytest.mark.django_db
def test_an_approval_is_recorded_once(officer):
    version = approve(draft(officer), officer)

    with pytest.raises(DomainError) as refused:
        approve(version, officer)

    assert refused.value.code == "already_approved"


@pytest.mark.django_db
def test_an_order_dated_in_the_future_is_refused(officer):
    version = draft(officer)

    with pytest.raises(DomainError) as refused:
        approval_record(
            version, approved_by="Директор", order_number="1",
            order_date=timezone.localdate() + timedelta(days=2), actor=officer, reason="x",
        )  # fmt: skip

    assert refused.value.code == "approval_in_future"
    version.refresh_from_db()
    assert not version.is_approved


@pytest.mark.django_db
def test_a_consent_is_not_given_under_a_draft(officer):
    from tests.consents.factories import purpose
    from tests.subjects.factories import SubjectFactory

    with pytest.raises(DomainError) as refused:
        services.consent_give(
            subject=SubjectFactory(), purpose=purpose("feedback"), method="email",
            actor=officer, reason="x", policy_version=draft(officer),
        )  # fmt: skip

    assert refused.value.code == "draft_policy"


@pytest.mark.django_db
def test_the_admin_approves_then_publishes_a_version(officer_client, officer):
    version = draft(officer)
    url = reverse("admin:consents_policyversion_changelist")
    selected = {"_selected_action": [version.pk]}

    refused = officer_client.post(url, {"action": "publish", **selected}, follow=True)
    page = officer_client.post(url, {"action": "approve", **selected})
    approve_selected(officer_client, url, selected, order_number="7")
    officer_client.post(url, {"action": "publish", **selected})

    assert "not approved" in refused.content.decode()
    assert page.status_code == 200
    assert "order_number" in page.content.decode()
    version.refresh_from_db()
    assert version.approval_order_number == "7"
    assert version.published_at is not None
    listed = officer_client.get(url + "?approved=yes").content.decode()
    assert "7" in listed
    assert version.version_label in listed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"), [("ru", "Утверждено приказом"), ("en", "Approved by order")]
)
def test_the_printed_version_shows_its_approval(officer_client, officer, language, words):
    version = approve(draft(officer), officer)

    response = officer_client.get(
        reverse("admin:consents_policyversion_print", args=[version.pk]), {"lang": "kk"}
    )
    other = officer_client.get(
        reverse("admin:consents_policyversion_print", args=[version.pk]), {"lang": language}
    )

    assert "Саясат" in response.content.decode()
    assert "15-ОД" in response.content.decode()
    assert words in other.content.decode()

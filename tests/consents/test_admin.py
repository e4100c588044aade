import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from consents.models import PolicyVersion
from tests.consents.factories import ConsentFactory, PolicyVersionFactory


@pytest.mark.django_db
def test_a_policy_version_a_consent_points_at_cannot_be_deleted(officer_client):
    version = PolicyVersionFactory()
    ConsentFactory(policy_version=version)
    url = reverse("admin:consents_policyversion_delete", args=[version.pk])

    assert officer_client.get(url).status_code == 403
    assert officer_client.post(url, {"post": "yes"}).status_code == 403
    with pytest.raises(ProtectedError):
        version.delete()
    assert PolicyVersion.objects.filter(pk=version.pk).exists()


@pytest.mark.django_db
def test_an_unused_policy_version_can_be_deleted_with_history(officer_client, officer):
    version = PolicyVersionFactory()
    url = reverse("admin:consents_policyversion_delete", args=[version.pk])

    response = officer_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not PolicyVersion.objects.filter(pk=version.pk).exists()
    deletion = PolicyVersion.history.filter(id=version.pk, history_type="-").get()
    assert deletion.history_user == officer


@pytest.mark.django_db
def test_the_seeded_policy_and_purposes_are_there():
    from consents.models import Purpose

    policy = PolicyVersion.objects.get(kind="privacy_policy", version_label="1")

    assert policy.text_kk.startswith("Құпиялылық туралы саясат")
    assert "ilay@dtcenter.asia" in policy.text_kk
    assert "Made on" not in policy.text_kk
    assert Purpose.objects.count() == 7
    assert set(Purpose.objects.filter(is_marketing=True).values_list("code", flat=True)) == {
        "newsletter",
        "direct_marketing",
    }

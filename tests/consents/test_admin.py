import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from consents.models import PolicyVersion
from tests.consents.factories import (
    ConsentFactory,
    PolicyVersionFactory,
    consent_add_form,
    published_version,
    purpose,
)


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


def _changelist_action(client, action: str, consents, **fields):
    return client.post(
        reverse("admin:consents_consent_changelist"),
        {"action": action, "_selected_action": [c.pk for c in consents], **fields},
    )


@pytest.mark.django_db
def test_the_withdraw_action_asks_for_channel_and_reason_then_calls_the_service(
    officer_client, officer
):
    from consents.models import ConsentState
    from tests.consents.factories import purpose
    from tests.subjects.factories import SubjectFactory

    subject = SubjectFactory()
    chosen = ConsentFactory(subject=subject, purpose=purpose("feedback"))
    kept = ConsentFactory(subject=subject, purpose=purpose("contracts"))

    page = _changelist_action(officer_client, "withdraw", [chosen])
    done = _changelist_action(
        officer_client, "withdraw", [chosen], confirm="yes", channel="letter", reason="Letter #5"
    )

    assert page.status_code == 200
    assert 'name="reason"' in page.text
    assert done.status_code == 302
    chosen.refresh_from_db()
    kept.refresh_from_db()
    assert (chosen.state, kept.state) == (ConsentState.WITHDRAWN, ConsentState.GIVEN)
    record = chosen.history.first()
    assert (record.history_user, record.history_change_reason) == (officer, "Letter #5")


@pytest.mark.django_db
def test_the_withdraw_action_without_a_reason_shows_the_form_again(officer_client):
    consent = ConsentFactory()

    response = _changelist_action(
        officer_client, "withdraw", [consent], confirm="yes", channel="letter"
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    consent.refresh_from_db()
    assert consent.state == "given"


@pytest.mark.django_db
def test_the_refuse_action_records_the_ground(officer_client, officer):
    consent = ConsentFactory()

    response = _changelist_action(
        officer_client,
        "refuse_withdrawal",
        [consent],
        confirm="yes",
        ground="unfulfilled_obligation",
        detail="Contract No. 7 not yet performed",
        channel="email_request",
    )

    assert response.status_code == 302
    refusal = consent.refusals.get()
    assert (refusal.ground, refusal.refused_by) == ("unfulfilled_obligation", officer)


@pytest.mark.django_db
def test_a_consent_added_in_the_admin_goes_through_the_service(officer_client, officer):
    from consents.models import Consent
    from tests.consents.factories import purpose
    from tests.subjects.factories import SubjectFactory

    subject = SubjectFactory()

    response = officer_client.post(
        reverse("admin:consents_consent_add"),
        {
            "subject": subject.pk,
            "purpose": purpose("feedback").pk,
            "given_at_0": "2026-11-20",
            "given_at_1": "10:00:00",
            "method": "written_agreement",
            "evidence": "Signed form No. 3",
            "evidence_payload": "{}",
            "data_categories": ["name", "email"],
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    consent = Consent.objects.get()
    assert consent.policy_version.version_label == "1"  # the version in force, set by the service
    assert consent.history.get().history_user == officer


@pytest.mark.django_db
def test_countries_without_the_cross_border_tick_are_a_form_error_not_a_500(officer_client):
    from consents.models import Consent
    from tests.subjects.factories import SubjectFactory

    subject = SubjectFactory()

    response = officer_client.post(
        reverse("admin:consents_consent_add"),
        consent_add_form(subject, cross_border_countries=["DE"]),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["cross_border_countries"] == [
        "Countries of cross-border transfer are given, but the transfer is not consented."
    ]
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_a_second_live_consent_for_a_purpose_is_a_form_error(officer_client):
    from tests.consents.factories import purpose

    consent = ConsentFactory(purpose=purpose("feedback"))

    response = officer_client.post(
        reverse("admin:consents_consent_add"), consent_add_form(consent.subject)
    )

    assert response.status_code == 200
    assert "already has a live consent" in str(response.context["adminform"].form.errors)


@pytest.mark.django_db
def test_countries_with_the_tick_are_recorded(officer_client):
    from consents.models import Consent
    from tests.subjects.factories import SubjectFactory

    response = officer_client.post(
        reverse("admin:consents_consent_add"),
        consent_add_form(
            SubjectFactory(), cross_border_countries=["DE"], cross_border_transfer="on"
        ),
    )

    assert response.status_code == 302
    assert Consent.objects.get().cross_border_countries == ["DE"]


@pytest.mark.django_db
def test_a_given_consent_is_shown_read_only(officer_client):
    consent = ConsentFactory()

    page = officer_client.get(reverse("admin:consents_consent_change", args=[consent.pk]))

    assert page.status_code == 200
    assert 'name="evidence"' not in page.text
    assert 'name="purpose"' not in page.text


@pytest.mark.django_db
def test_the_receipt_page_lists_what_was_consented_in_the_subjects_language(officer_client):
    from tests.organisation.factories import OperatorProfileFactory
    from tests.processors.factories import ProcessorFactory

    OperatorProfileFactory(name_kk="Демо қоры", bin="990140000123")
    consent = ConsentFactory(
        subject__preferred_language="en",
        cross_border_transfer=True,
        cross_border_countries=["US"],
    )
    mailer = ProcessorFactory(
        legal_name="Mail Delivery Inc.", country="US", stores_data_in_kazakhstan=False
    )
    mailer.purposes.add(consent.purpose)

    response = officer_client.get(
        reverse("admin:consents_consent_receipt", args=[consent.subject_id])
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "990140000123" in text
    assert "Демо қоры" in text
    assert "Mail Delivery Inc. (United States of America, data kept abroad)" in text
    assert "/unsubscribe/" in text  # the newsletter is marketing: the link is on the receipt
    assert "privacy@example.org" in text


@pytest.mark.django_db
def test_the_receipt_is_e_mailed_after_commit(
    officer_client, mailoutbox, django_capture_on_commit_callbacks
):
    consent = ConsentFactory(subject__email="olga@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = _changelist_action(officer_client, "send_receipt", [consent])

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["olga@example.org"]]
    assert "/unsubscribe/" in mailoutbox[0].body


@pytest.mark.django_db
def test_the_outdated_consents_report_lists_subjects_to_ask_again(officer_client, officer):
    from django.utils import timezone

    old = ConsentFactory()
    published_version(
        version_label="2",
        published_at=timezone.now() - timezone.timedelta(hours=1),
        text_kk="2",
        actor=officer,
    )

    response = officer_client.get(reverse("admin:consents_policyversion_outdated"))

    assert response.status_code == 200
    assert list(response.context["subjects"]) == [old.subject]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "language", "shown"),
    [
        ("state_service", "ru", "Через государственный сервис"),
        ("non_state_service", "kk", "Мемлекеттік емес сервис арқылы"),
    ],
)
def test_a_consent_given_through_a_state_or_non_state_service_is_recorded_and_on_the_receipt(
    officer_client, method, language, shown
):
    # Art. 8(1): consent in any form that allows confirming it, including through a state or
    # non-state service.
    from consents.models import Consent
    from tests.subjects.factories import SubjectFactory

    subject = SubjectFactory(preferred_language=language)

    response = officer_client.post(
        reverse("admin:consents_consent_add"),
        consent_add_form(subject, method=method, evidence="Service confirmation No. 42"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Consent.objects.get().method == method
    receipt = officer_client.get(reverse("admin:consents_consent_receipt", args=[subject.pk]))
    assert shown in receipt.content.decode()


@pytest.mark.django_db
def test_a_retention_period_without_its_law_is_refused_beside_the_field(officer_client):
    target = purpose("feedback")
    url = reverse("admin:consents_purpose_change", args=[target.pk])
    form = officer_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name)}
    data.update(retention_days=30, retention_law="  ", change_reason="Retention")
    data["data_categories"] = target.data_categories

    page = officer_client.post(url, data)

    assert page.status_code == 200
    assert "name the law" in str(page.context["adminform"].form.errors["retention_law"])
    target.refresh_from_db()
    assert target.retention_days is None

    data["retention_law"] = "Tax Code, Art. 48"
    assert officer_client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.retention_days, target.retention_law) == (30, "Tax Code, Art. 48")


@pytest.mark.django_db
def test_the_condition_to_be_told_of_transfers_is_recorded_with_history_and_on_the_receipt(
    officer_client, officer
):
    from consents.models import Consent
    from tests.subjects.factories import SubjectFactory

    subject = SubjectFactory(preferred_language="ru")

    response = officer_client.post(
        reverse("admin:consents_consent_add"),
        consent_add_form(
            subject, third_party_transfer="on", notify_of_transfer="on", change_reason="Form"
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    consent = Consent.objects.get()
    assert consent.notify_of_transfer is True
    assert consent.history.get().notify_of_transfer is True
    receipt = officer_client.get(reverse("admin:consents_consent_receipt", args=[subject.pk]))
    assert "Вы просили сообщать о каждой передаче" in receipt.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["әйгерім", "НҰРЛАНҚЫЗЫ", "aigerim.nurlan@", "8 701 555 12 34"])
def test_the_consent_list_is_searched_as_the_people_are(officer_client, term):
    from tests.subjects.factories import SubjectFactory

    wanted = ConsentFactory(
        subject=SubjectFactory(
            first_name="Әйгерім", last_name="Сейтқали", patronymic="Нұрланқызы",
            email="aigerim.nurlan@example.kz", phone="+77015551234",
        )
    )  # fmt: skip
    other = ConsentFactory(
        subject=SubjectFactory(first_name="Иван", last_name="Петров", email="ivan@example.kz")
    )

    response = officer_client.get(reverse("admin:consents_consent_changelist"), {"q": term})

    shown = list(response.context["cl"].result_list)
    assert wanted in shown
    assert other not in shown

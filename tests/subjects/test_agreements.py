"""Agreement data: sealed values, checked on input, revealed only with permission and logged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from common.encryption import MASK, Sealed
from common.personal_data import DataCategory, classification_for
from subjects.agreements import (
    agreement_data_record,
    agreement_data_reveal,
    agreement_data_update,
    agreements_find_by_passport,
)
from subjects.models import AgreementData, AgreementDataAccess
from tests.subjects.factories import AgreementDataFactory, SubjectFactory

VALUES = {
    "agreement_number": "Д-17",
    "passport_number": "n 0123 4567",
    "passport_issued_by": "МВД РК",
    "passport_issued_on": "2021-09-01",
    "bank_name": "Halyk Bank",
    "bank_bic": "hsbk kzkx",
    "bank_account": "KZ86 125K ZT50 0410 0100",
}


@pytest.mark.django_db
def test_recording_seals_normalised_values_and_writes_history_with_user_and_reason(officer):
    agreement = agreement_data_record(
        subject=SubjectFactory(), actor=officer, reason="agreement Д-17 signed", data=VALUES
    )

    stored = AgreementData.objects.get(pk=agreement.pk)
    assert isinstance(stored.passport_number, Sealed)
    assert str(stored.passport_number) == MASK
    [row] = stored.history.all()
    assert row.history_user == officer
    assert row.history_change_reason == "agreement Д-17 signed"
    revealed = agreement_data_reveal(agreement=stored, actor=officer, context="test")
    assert revealed == {
        "passport_number": "N01234567",
        "passport_issued_by": "МВД РК",
        "passport_issued_on": "2021-09-01",
        "bank_name": "Halyk Bank",
        "bank_bic": "HSBKKZKX",
        "bank_account": "KZ86125KZT5004100100",
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bank_account", "KZ87125KZT5004100100"),  # check digits wrong
        ("bank_bic", "HSBK"),
        ("passport_number", "N-12"),
        ("passport_issued_on", "01.09.2021"),
        ("passport_issued_on", "2999-01-01"),
    ],
)
@pytest.mark.django_db
def test_wrong_values_are_refused_and_nothing_is_written(officer, field, value):
    with pytest.raises(ValidationError) as refused:
        agreement_data_record(
            subject=SubjectFactory(), actor=officer, reason="x", data={**VALUES, field: value}
        )

    assert field in refused.value.message_dict
    assert not AgreementData.objects.exists()


@pytest.mark.django_db
def test_an_update_changes_only_the_given_values(officer):
    agreement = AgreementDataFactory()
    before = AgreementData.objects.get(pk=agreement.pk)

    agreement_data_update(
        agreement=before,
        actor=officer,
        reason="new account",
        data={"bank_account": VALUES["bank_account"]},
    )

    after = AgreementData.objects.get(pk=agreement.pk)
    assert after.passport_number == before.passport_number  # the same ciphertext
    assert after.bank_account != agreement.bank_account
    assert after.history.count() == 2
    assert after.history.first().history_change_reason == "new account"


@pytest.mark.django_db
def test_only_the_permission_reveals_and_each_reveal_is_recorded(officer, auditor, staff_user):
    agreement = AgreementDataFactory()

    for refused in (auditor, staff_user):
        with pytest.raises(PermissionDenied):
            agreement_data_reveal(agreement=agreement, actor=refused, context="test")
    agreement_data_reveal(agreement=agreement, actor=officer, context="admin change page")

    [access] = AgreementDataAccess.objects.all()
    assert access.viewed_by == officer
    assert access.agreement == agreement
    assert access.context == "admin change page"
    assert set(access.fields) == {
        "passport_number", "passport_issued_by", "passport_issued_on",
        "bank_name", "bank_bic", "bank_account",
    }  # fmt: skip
    assert access.viewed_at is not None


@pytest.mark.django_db
def test_a_passport_number_is_found_however_it_is_typed():
    agreement = AgreementDataFactory(passport_number="N12345678")
    AgreementDataFactory(passport_number="N87654321")

    assert list(agreements_find_by_passport(passport_number="n 1234-5678")) == [agreement]
    assert not agreements_find_by_passport(passport_number="").exists()


def test_every_value_is_classified_as_agreement_data():
    classification = classification_for(AgreementData)

    assert {
        name for name, category in classification.personal.items()
        if category == DataCategory.AGREEMENT
    } == {
        "passport_number", "passport_number_index", "passport_issued_by", "passport_issued_on",
        "bank_name", "bank_bic", "bank_account",
    }  # fmt: skip
    assert classification.subject_path == "subject"


# --- admin -------------------------------------------------------------------------------------


def _change(agreement: AgreementData) -> str:
    return reverse("admin:subjects_agreementdata_change", args=[agreement.pk])


@pytest.mark.django_db
def test_the_officer_sees_the_values_and_the_view_is_recorded_once(officer_client):
    agreement = AgreementDataFactory(passport_number="N55544433")

    page = officer_client.get(_change(agreement))

    assert page.status_code == 200
    assert 'value="N55544433"' in page.text
    assert AgreementDataAccess.objects.filter(agreement=agreement).count() == 1


@pytest.mark.django_db
def test_the_officer_changes_a_value_in_the_admin_with_a_reason(officer_client, officer):
    agreement = AgreementDataFactory(passport_number="N55544433")
    form = officer_client.get(_change(agreement)).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(subject=agreement.subject_id, passport_number="N99988877", change_reason="new ID")

    response = officer_client.post(_change(agreement), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = AgreementData.objects.get(pk=agreement.pk)
    assert stored.bank_name == AgreementData.history.last().bank_name  # the same ciphertext
    assert list(agreements_find_by_passport(passport_number="N99988877")) == [agreement]
    latest = agreement.history.first()
    assert latest.history_user == officer
    assert latest.history_change_reason == "new ID"
    assert stored.bank_name.unseal_unaudited() == "АО «Банк»"  # untouched values survive


@pytest.mark.django_db
def test_the_officer_adds_agreement_data_in_the_admin(officer_client):
    subject = SubjectFactory()
    data = {**VALUES, "subject": subject.pk, "agreement_date": "2026-02-02", "change_reason": ""}

    response = officer_client.post(reverse("admin:subjects_agreementdata_add"), data)

    assert response.status_code == 302
    agreement = AgreementData.objects.get(subject=subject)
    assert agreement.passport_number.unseal_unaudited() == "N01234567"


@pytest.mark.django_db
def test_the_admin_search_finds_a_passport_number_through_the_index(officer_client, client,
                                                                    auditor):  # fmt: skip
    agreement = AgreementDataFactory(passport_number="N12121212")
    AgreementDataFactory()
    url = reverse("admin:subjects_agreementdata_changelist") + "?q=n1212-1212"

    found = officer_client.get(url).context["cl"].result_list
    client.force_login(auditor)
    for_auditor = client.get(url).context["cl"].result_list

    assert list(found) == [agreement]
    assert list(for_auditor) == []  # the lookup confirms a number: only with the permission


@pytest.mark.django_db
def test_an_old_version_in_the_history_shows_masks_and_logs_nothing(officer_client):
    agreement = AgreementDataFactory(passport_number="N31313131")
    version = agreement.history.first().history_id
    url = reverse("admin:subjects_agreementdata_simple_history", args=[agreement.pk, version])

    page = officer_client.get(url)

    assert page.status_code == 200
    assert "N31313131" not in page.text
    assert not AgreementDataAccess.objects.exists()

"""The list of personal data is approved by an order (Art. 25(2)(1)): a version is drawn up,
approved, made current, and printed with its approval; earlier versions are kept."""

import pytest
from django.urls import reverse
from django.utils import timezone

from common.approval import approval_record
from common.errors import DomainError
from processors.models import PersonalDataListVersion
from processors.services import personal_data_list_draw_up, personal_data_list_make_current
from tests.approval import approve_selected


def drawn_up(officer, label: str = "2026-1") -> PersonalDataListVersion:
    return personal_data_list_draw_up(version_label=label, actor=officer, reason="Drawn up")


@pytest.mark.django_db
def test_a_version_keeps_the_list_in_both_languages(officer):
    version = drawn_up(officer)

    assert set(version.content) == {"kk", "ru"}
    assert version.content["ru"]["title"] == "Перечень персональных данных"
    assert version.content["kk"]["rows"]


@pytest.mark.django_db
def test_an_unapproved_version_is_not_made_current(officer):
    version = drawn_up(officer)

    with pytest.raises(DomainError) as refused:
        personal_data_list_make_current(version=version, actor=officer, reason="x")

    assert refused.value.code == "not_approved"
    version.refresh_from_db()
    assert version.current_from is None


@pytest.mark.django_db
def test_an_approved_version_becomes_current_and_the_earlier_stays(officer):
    first = drawn_up(officer, "1")
    approval_record(first, approved_by="Директор", order_number="3",
                    order_date=timezone.localdate(), actor=officer, reason="Approved")  # fmt: skip
    personal_data_list_make_current(version=first, actor=officer, reason="Current")
    second = drawn_up(officer, "2")
    approval_record(second, approved_by="Директор", order_number="9",
                    order_date=timezone.localdate(), actor=officer, reason="Approved")  # fmt: skip

    personal_data_list_make_current(version=second, actor=officer, reason="Current")

    first.refresh_from_db()
    assert first.current_from is not None
    assert first.approval_order_number == "3"
    assert list(second.history.values_list("history_change_reason", flat=True)) == [
        "Current", "Approved", "Drawn up",
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [("ru", "Утвержден"), ("kk", "бұйрығымен")])
def test_the_printed_version_shows_its_approval(officer_client, officer, language, words):
    version = drawn_up(officer)
    approval_record(version, approved_by="Директор", order_number="12-ОД",
                    order_date=timezone.localdate(), actor=officer, reason="Approved")  # fmt: skip

    response = officer_client.get(
        reverse("admin:processors_personaldatalistversion_print", args=[version.pk]),
        {"lang": language},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "12-ОД" in page
    assert words in page
    assert version.content[language]["title"] in page


@pytest.mark.django_db
def test_the_admin_draws_up_approves_and_makes_current(officer_client, officer):
    add = reverse("admin:processors_personaldatalistversion_add")
    officer_client.post(add, {"version_label": "2026-2"})
    version = PersonalDataListVersion.objects.get(version_label="2026-2")
    url = reverse("admin:processors_personaldatalistversion_changelist")
    selected = {"_selected_action": [version.pk]}

    refused = officer_client.post(url, {"action": "make_current", **selected}, follow=True)
    approve_selected(officer_client, url, selected, order_number="5")
    officer_client.post(url, {"action": "make_current", **selected})

    assert "not approved" in refused.content.decode()
    version.refresh_from_db()
    assert version.approval_order_number == "5"
    assert version.current_from is not None

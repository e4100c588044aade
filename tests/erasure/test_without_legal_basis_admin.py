"""Art. 18(3-1) from the admin: the subject list's "no legal basis" filter and its erasure."""

import pytest
from django.urls import reverse

from subjects.models import Subject
from tests.consents.factories import ConsentFactory
from tests.subjects.factories import SubjectFactory

LIST = "admin:subjects_subject_changelist"


@pytest.fixture
def journal(settings):
    settings.ERASURE_JOURNAL_PATH = settings.BASE_DIR / "var" / "test-journal.jsonl"


@pytest.mark.django_db
def test_the_filter_lists_only_subjects_without_a_legal_basis(officer_client):
    unfounded = SubjectFactory(last_name="Безоснованов")
    ConsentFactory(subject__last_name="Согласов")

    page = officer_client.get(reverse(LIST) + "?legal_basis=none")

    assert list(page.context["cl"].result_list) == [unfounded]
    assert "Art. 18(3-1)" in page.text


@pytest.mark.django_db
def test_the_erasure_asks_for_confirmation_then_erases_with_the_reason(officer_client, journal):
    unfounded = SubjectFactory()
    founded = ConsentFactory().subject
    chosen = {"action": "erase_without_basis", "_selected_action": [unfounded.pk, founded.pk]}

    page = officer_client.post(reverse(LIST), chosen)

    assert page.status_code == 200  # the confirmation page, listing the unfounded one only
    assert list(page.context["queryset"]) == [unfounded]
    assert Subject.objects.get(pk=unfounded.pk).state == "active"

    done = officer_client.post(
        reverse(LIST),
        {**chosen, "confirm": "yes", "reason": "Quarterly review", "confirm_irreversible": "on"},
    )

    assert done.status_code == 302
    assert Subject.objects.get(pk=unfounded.pk).state == "erased"
    assert Subject.objects.get(pk=founded.pk).state == "active"


@pytest.mark.django_db
def test_the_erasure_refuses_when_every_selected_subject_has_a_basis(officer_client):
    founded = ConsentFactory().subject

    done = officer_client.post(
        reverse(LIST), {"action": "erase_without_basis", "_selected_action": [founded.pk]}
    )

    assert done.status_code == 302
    assert Subject.objects.get(pk=founded.pk).state == "active"


@pytest.mark.django_db
def test_staff_without_the_erase_permission_is_not_offered_the_action(client, staff_user):
    client.force_login(staff_user)

    page = client.get(reverse(LIST))

    actions = page.context["cl"].model_admin.get_actions(page.wsgi_request)
    assert "erase_without_basis" not in actions

"""The subject list finds a phone however it is typed (stored as E.164, +77012345678):
subjects.selectors.subject_search."""

import pytest
from django.urls import reverse

from tests.subjects.factories import SubjectFactory

CHANGELIST = "admin:subjects_subject_changelist"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["8 701 234 56 78", "+7 701 234 56 78", "701 234 56 78", "8(701)234-56-78", "234 56 78"],
)
def test_the_subject_list_finds_a_phone_however_typed(officer_client, typed):
    wanted = SubjectFactory(phone="+77012345678")
    SubjectFactory(phone="+77019999999")

    response = officer_client.get(reverse(CHANGELIST), {"q": typed})

    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.django_db
def test_a_name_is_still_searched_as_typed(officer_client):
    wanted = SubjectFactory(last_name="Сейтқали", phone="+77012345678")
    SubjectFactory(last_name="Ким")

    response = officer_client.get(reverse(CHANGELIST), {"q": "Сейтқали"})

    assert list(response.context["cl"].result_list) == [wanted]

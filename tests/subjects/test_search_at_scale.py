"""The subject list as people use it at a million subjects: search that matches how names,
e-mails and phones are typed, served by the indexes, in a number of queries that does not grow
with the page. Time is measured by bench/admin_benchmark.py, never asserted here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from subjects.admin import SubjectAdmin
from subjects.models import Subject
from subjects.selectors import subject_search_by_contact
from tests.subjects.factories import SubjectFactory

CHANGELIST_URL = reverse("admin:subjects_subject_changelist")


def _found(client, term: str) -> set[int]:
    response = client.get(CHANGELIST_URL, {"q": term})
    assert response.status_code == 200
    return {subject.pk for subject in response.context["cl"].result_list}


@pytest.fixture
def people(db) -> dict:
    return {
        "aigerim": SubjectFactory(
            last_name="Қасымова", first_name="Әйгерім", patronymic="Серікқызы",
            email="aigerim.kasymova@mail.kz", phone="+77012345678",
        ),
        "ivan": SubjectFactory(
            last_name="Иванов", first_name="Иван", patronymic="Петрович",
            email="ivan.ivanov@inbox.kz", phone="+77771234567",
        ),
        "zhuldyz": SubjectFactory(
            last_name="Үсенова", first_name="Жұлдыз", patronymic="Нұрланқызы",
            email="zhuldyz@example.com", phone="",
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("8 701 234", "aigerim"),  # the national trunk prefix, as most people write it
        ("8 (701) 234-56-78", "aigerim"),
        ("+7 701 234", "aigerim"),
        ("+77012345678", "aigerim"),
        ("77012345678", "aigerim"),
        ("701 234", "aigerim"),  # a fragment without a prefix
        ("56 78", "aigerim"),  # ... from the middle of the number
        ("777 123", "ivan"),
    ],
)
def test_a_phone_is_found_however_it_is_typed(officer_client, people, term, who):
    assert _found(officer_client, term) == {people[who].pk}


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("қасым", {"aigerim"}),  # Kazakh letters in lower case, stored capitalised
        ("ҚАСЫМОВА", {"aigerim"}),
        ("әйгер", {"aigerim"}),
        ("ҮСЕН", {"zhuldyz"}),
        ("иванов", {"ivan"}),
        ("ИВАН", {"ivan"}),
        ("Иванов Петрович", {"ivan"}),  # every word in some part of the name
        ("қызы", {"aigerim", "zhuldyz"}),
        ("әйгерім қасымова", {"aigerim"}),  # the words in any order
        ("ivanov иван", {"ivan"}),  # a word of the e-mail and one of the name
    ],
)
def test_a_name_fragment_is_found_in_any_case(officer_client, people, term, who):
    assert _found(officer_client, term) == {people[name].pk for name in who}


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("kasymova@mail", {"aigerim"}),
        ("@INBOX.KZ", {"ivan"}),
        ("ivan.ivanov", {"ivan"}),
        ("example.com", {"zhuldyz"}),
    ],
)
def test_an_email_fragment_is_found(officer_client, people, term, who):
    assert _found(officer_client, term) == {people[name].pk for name in who}


def test_a_number_too_short_for_a_phone_finds_no_one_by_phone(people):
    assert subject_search_by_contact(Subject.objects.all(), "70") is None  # a name, then


def _queries(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST_URL, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"q": "Нұрланова"}, {"q": "8 701"}, {"p": "2"}])
def test_the_list_costs_the_same_queries_whatever_the_page_size(
    officer_client, monkeypatch, params
):
    for _n in range(12):
        SubjectFactory()
    monkeypatch.setattr(SubjectAdmin, "list_per_page", 5)
    small = _queries(officer_client, params)
    monkeypatch.setattr(SubjectAdmin, "list_per_page", 6)
    larger = _queries(officer_client, params)

    assert small == larger
    assert small <= 12


@pytest.mark.django_db
def test_the_subject_page_shows_the_chosen_country_in_its_flat_select(officer_client):
    subject = SubjectFactory(country="KZ")

    url = reverse("admin:subjects_subject_change", args=[subject.pk])
    response = officer_client.get(url, {"edit": "1"})

    html = response.content.decode()
    assert "Kazakhstan" in officer_client.get(url).content.decode()  # read: the name only
    assert '<option value="KZ" selected>' in html
    assert html.count("<option value=") > 240  # every country offered

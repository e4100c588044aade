"""The seeded deadline rules read in the reader's language; a basis the officer typed as typed."""

import pytest
from django.urls import reverse
from django.utils import translation

from requests.models import DeadlineRule
from requests.rule_texts import SEEDED_RULE_TEXTS, rule_text

TEXT_FIELDS = ("article", "basis", "target_basis", "refusal_basis")


@pytest.mark.django_db
def test_every_seeded_text_of_the_rules_has_a_translation_entry():
    seeded = {
        getattr(rule, name) for rule in DeadlineRule.objects.all() for name in TEXT_FIELDS
    } - {""}

    assert seeded, "the migrations seed the rules"
    assert seeded <= SEEDED_RULE_TEXTS, seeded - SEEDED_RULE_TEXTS


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_seeded_basis_reads_in_the_readers_language(language):
    rule = DeadlineRule.objects.get(key="withdrawal")

    with translation.override(language):
        shown = rule_text(rule.basis)
        article = rule_text(rule.article)

    assert shown != rule.basis
    assert "8" in shown
    assert "15" in shown
    assert "Law No." not in shown
    assert article != rule.article


@pytest.mark.django_db
def test_a_basis_the_officer_typed_stays_as_typed():
    typed = "Приказ оператора № 12 от 01.02.2026"

    with translation.override("kk"):
        assert rule_text(typed) == typed
    with translation.override("en"):
        assert rule_text(typed) == typed


@pytest.mark.django_db
def test_the_rules_list_shows_the_seeded_bases_in_russian(officer_client):
    rule = DeadlineRule.objects.get(key="access")

    with translation.override("ru"):
        expected = rule_text(rule.basis)
    response = officer_client.get(
        reverse("admin:requests_deadlinerule_changelist"), HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page
    assert rule.basis not in page

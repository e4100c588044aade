"""A change list's page links, written in one pass (common.pagination_links), print what
Django's `admin/pagination.html` prints."""

import pytest
from django.contrib import admin
from django.template import engines
from django.urls import resolve
from django.utils import translation

from common.pagination_links import pagination_markup
from subjects.models import Subject
from tests.subjects.factories import SubjectFactory


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    ("query", "shows"),
    [
        ("", "… "),  # the first of twelve pages: those between 4 and 11 elided
        ("?p=6", '<span class="this-page">6</span> '),  # a page in the middle
        ("?all=", "12 "),  # every row on one page: no page links
        ("?q=Сингуляр", "1 "),  # one person: the register's name in the singular
    ],
)
def test_the_page_links_print_as_djangos_template_prints_them(
    rf, officer, monkeypatch, language, query, shows
):
    model_admin = admin.site._registry[Subject]
    monkeypatch.setattr(model_admin, "list_per_page", 1)
    for number in range(11):
        SubjectFactory(first_name=f"Айгерім{number}", email=f"p{number}@a.kz")
    SubjectFactory(first_name="Сингуляр", email="one@a.kz")
    request = rf.get(f"/admin/subjects/subject/{query}")
    request.user, request.resolver_match = officer, resolve("/admin/subjects/subject/")

    with translation.override(language):
        changelist = model_admin.get_changelist_instance(request)
        changelist.formset = None
        djangos = (
            engines["django"]
            .from_string("{% load admin_list %}{% pagination cl %}")
            .render({"cl": changelist, "opts": changelist.opts})
        )
        ours = pagination_markup(changelist)

    assert ours == djangos
    assert shows in ours


@pytest.mark.django_db
def test_a_list_edited_in_place_gets_djangos_save_button(edited_in_place):
    djangos = (
        engines["django"]
        .from_string("{% load admin_list %}{% pagination cl %}")
        .render({"cl": edited_in_place, "opts": edited_in_place.opts})
    )

    assert pagination_markup(edited_in_place) == djangos
    assert 'name="_save"' in djangos

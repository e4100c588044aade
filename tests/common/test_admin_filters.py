"""The filters of a change list, written in one pass (common.admin_filters), print what Django's
`admin/filter.html` prints for each of them."""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import admin_list_filter
from django.template import engines
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from common.admin_filters import list_filters_markup
from tests.consents.factories import ConsentFactory
from tests.markup import without_indentation
from tests.requests.factories import SubjectRequestFactory
from tests.subjects.factories import SubjectFactory

LANGUAGES = ["kk", "ru", "en"]


def _djangos(cl) -> str:
    return "".join(admin_list_filter(cl, spec) for spec in cl.filter_specs)


def _changelist(model_admin, rf, user, query: str):
    opts = model_admin.model._meta
    request = rf.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + query)
    request.user = user
    return model_admin.get_changelist_instance(request)


@pytest.fixture
def some_records(officer):
    for name in ("Айгерім", "Иван"):
        subject = SubjectFactory(first_name=name, email=f"{len(name)}@example.kz")
        ConsentFactory(subject=subject)
        SubjectRequestFactory(subject=subject, assignee=officer)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_lists_filters_print_as_djangos_template_prints_them(
    rf, officer, language, some_records
):
    officer.is_superuser = True  # every register, whatever its permissions
    compared = 0
    with translation.override(language):
        for model_admin in admin.site._registry.values():
            first = _changelist(model_admin, rf, officer, "")
            if not first.filter_specs:
                continue
            # Unfiltered, with a choice selected (the first filter's second choice), with counts.
            chosen = list(first.filter_specs[0].choices(first))[1:2]
            queries = ["", "?_facets=1", *(choice["query_string"] for choice in chosen)]
            for query in queries:
                cl = _changelist(model_admin, rf, officer, query)
                assert list_filters_markup(cl) == _djangos(cl), (model_admin, query)
                compared += 1
    assert compared >= 3 * 20  # the registers with filters, three ways each


class _Spec:
    """A filter as the template reads it: a title, choices, a template."""

    template = "admin/filter.html"

    def __init__(self, title, choices, template=None) -> None:
        self.title, self._choices = title, choices
        if template:
            self.template = template

    def choices(self, cl):
        yield from self._choices


class _ListOf:
    def __init__(self, *specs) -> None:
        self.filter_specs = specs


@pytest.mark.parametrize("language", LANGUAGES)
def test_titles_and_choices_are_escaped_localized_and_kept_safe_as_the_template_does(language):
    spec = _Spec(
        '<Name & "co">',
        [
            {"selected": True, "query_string": "?q=Айгерім&x=<1>", "display": "<b>all</b>"},
            {
                "selected": False,
                "query_string": mark_safe("?a=1&b=2"),
                "display": mark_safe("<i>ok</i>"),
            },
            {"selected": 0, "query_string": "?n=1", "display": 1234567},
            {"query_string": "?lazy=1", "display": gettext_lazy("Yes")},
            {"selected": "yes", "query_string": "?none=1", "display": None},
            {},
        ],
    )
    lazy_title = _Spec(
        gettext_lazy("state"), [{"selected": True, "query_string": "?", "display": "x"}]
    )
    own_template = _Spec(
        "own", [{"query_string": "?o=1", "display": "o"}], "admin/color_theme_toggle.html"
    )
    cl = _ListOf(spec, lazy_title, own_template)

    with translation.override(language):
        ours, djangos = list_filters_markup(cl), _djangos(cl)

    assert ours == djangos
    assert "&lt;Name &amp; &quot;co&quot;&gt;" in ours
    assert "?q=%D0%90%D0%B9%D0%B3%D0%B5%D1%80%D1%96%D0%BC&amp;x=%3C1%3E" in ours
    assert '<a href="?a=1&b=2"><i>ok</i></a>' in ours


def _nav(html: str) -> str:
    found = re.search(r'<nav id="changelist-filter".*?</nav>', html, re.DOTALL)
    assert found, "no filters on the page"
    return without_indentation(found.group(0))


def _paginator(html: str) -> str:
    found = re.search(r'<p class="paginator">.*?</p>', html, re.DOTALL)
    assert found, "no page links on the page"
    return found.group(0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/subjects/subject/?state__exact=active",
        "/admin/consents/consent/?_facets=1",
        "/admin/requests/subjectrequest/?status__exact=received",
    ],
)
def test_a_lists_filters_block_is_djangos_own(officer_client, url, some_records):
    """The block around the filters (heading, counts, clearing) is Django's, kept in the project's
    change list template with the filters written in one pass; so are the page links."""
    djangos_template = engines["django"].from_string(
        (
            Path(django.contrib.admin.__file__).parent / "templates/admin/change_list.html"
        ).read_text()
    )
    for language in LANGUAGES:
        response = officer_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        with translation.override(language):
            djangos = djangos_template.render(response.context_data, response.wsgi_request)

        assert _nav(response.content.decode()) == _nav(djangos)
        assert _nav(djangos).count("<details data-filter-title=") >= 3
        # and its page links and count (common.pagination_links)
        assert _paginator(response.content.decode()) == _paginator(djangos)

"""What keeps the big admin lists fast: estimated counts, and a row checkbox without templates."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import translation

from common import pagination
from common.pagination import EstimatedCountPaginator
from subjects.models import Subject
from subjects.selectors import subject_search
from tests.subjects.factories import SubjectFactory


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE subjects_subject")


@pytest.mark.django_db
def test_a_big_list_is_counted_by_the_planners_estimate(monkeypatch):
    for _n in range(30):
        SubjectFactory()
    _analyze()
    monkeypatch.setattr(pagination, "ESTIMATE_FROM", 10)

    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(Subject.objects.all(), 10).count

    assert [query["sql"].split()[0] for query in queries] == ["EXPLAIN"]
    assert 20 <= count <= 40  # ANALYZE saw every row of so small a table: the estimate is exact


@pytest.mark.django_db
def test_the_estimate_leaves_out_the_tables_joined_only_for_the_columns():
    from consents.models import Consent
    from tests.consents.factories import ConsentFactory

    for _n in range(4):
        ConsentFactory()
    listed = Consent.objects.select_related("subject", "purpose", "policy_version")

    with CaptureQueriesContext(connection) as queries:
        estimates = [
            pagination.estimated_count(listed.order_by("-given_at")),
            pagination.estimated_count(listed.values("pk")),  # select_related can't be undone
            pagination.estimated_count(listed.union(listed.filter(pk__lt=0))),
        ]

    assert "JOIN" not in queries[0]["sql"]
    assert "JOIN" in queries[2]["sql"]  # a union is estimated as it is
    assert all(isinstance(estimate, int) and estimate >= 1 for estimate in estimates)


@pytest.mark.django_db
def test_a_small_list_is_counted_exactly(monkeypatch):
    for _n in range(3):
        SubjectFactory()
    _analyze()

    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(Subject.objects.filter(first_name="Айгерім"), 10).count

    assert count == 3
    assert len(queries) == 2  # the EXPLAIN, then COUNT(*)
    assert "COUNT(*)" in queries[1]["sql"]


def test_a_list_that_is_not_a_queryset_is_counted_as_django_does():
    assert EstimatedCountPaginator(list(range(25)), 10).count == 25


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_row_checkbox_is_djangos_own_written_in_place(language):
    from django.contrib import admin as django_admin

    from common.admin import HistoryAdmin

    subject = SubjectFactory(last_name='<b>"Қасымова"</b>')
    with translation.override(language):
        ours = HistoryAdmin(Subject, django_admin.site).action_checkbox(subject)
        djangos = django_admin.ModelAdmin(Subject, django_admin.site).action_checkbox(subject)

    assert str(ours) == str(djangos)


def _namesakes() -> None:
    for n in range(3):
        SubjectFactory(last_name="Фёдорова", first_name="Елена", email=f"fe{n}@example.kz")
    SubjectFactory(last_name="Фёдорова", first_name="Анна", email="anna@example.kz")


@pytest.mark.django_db
def test_a_search_of_several_words_is_counted_by_the_ids_it_read():
    _namesakes()
    found = subject_search(Subject.objects.all(), "фёдорова елена")  # reads its ids: 1 query

    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(found, 10).count

    assert count == 3
    assert len(queries) == 0  # neither the estimate nor a count of the ids again


@pytest.mark.django_db
def test_a_search_of_several_words_beside_another_filter_is_counted_exactly_at_once():
    _namesakes()
    found = subject_search(Subject.objects.all(), "фёдорова елена")

    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(found.exclude(email="fe0@example.kz"), 10).count

    assert count == 2
    assert [query["sql"].split()[0] for query in queries] == ["SELECT"]  # no EXPLAIN first
    assert "COUNT(*)" in queries[0]["sql"]


@pytest.mark.django_db
def test_the_subject_list_searched_by_two_words_shows_the_number_found(officer_client):
    _namesakes()

    with CaptureQueriesContext(connection) as queries:
        response = officer_client.get("/admin/subjects/subject/", {"q": "ФЁДОРОВА ЕЛЕНА"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    assert len(response.context["cl"].result_list) == 3
    assert not [q for q in queries if q["sql"].startswith(("EXPLAIN", "SELECT COUNT"))]


@pytest.mark.django_db
def test_a_filter_no_row_can_match_is_counted_as_django_counts_it(monkeypatch):
    monkeypatch.setattr(pagination, "ESTIMATE_FROM", 0)
    impossible = Subject.objects.filter(pk=10**20)  # beyond the column: Django matches nothing

    assert EstimatedCountPaginator(impossible, 10).count == 0


def _rows(model_admin, request, changelist_class):
    """The cells of every row of the list, as the admin's template tag writes them."""
    from django.contrib.admin.templatetags.admin_list import items_for_result

    model_admin.get_changelist = lambda request, **kwargs: changelist_class
    try:
        changelist = model_admin.get_changelist_instance(request)
    finally:
        del model_admin.get_changelist
    return [list(items_for_result(changelist, row, None)) for row in changelist.result_list]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "?q=Айгерім", "?q=Айгерім+Нұрланова&state__exact=active", "?o=-2&state__exact=active"],
)
def test_row_links_are_djangos_with_the_filters_kept(rf, officer, query):
    from django.contrib import admin
    from django.contrib.admin.views.main import ChangeList as DjangoChangeList

    from common.changelist import ChangeList

    for name in ("Айгерім", "Иван", "Айгерім"):
        SubjectFactory(first_name=name, email=f"p{Subject.objects.count()}@a.kz")
    request = rf.get(f"/admin/subjects/subject/{query}")
    request.user, request.resolver_match = officer, resolve("/admin/subjects/subject/")
    model_admin = admin.site._registry[Subject]

    ours = _rows(model_admin, request, ChangeList)
    djangos = _rows(model_admin, request, DjangoChangeList)

    assert ours == djangos
    assert ours  # the rows were written, with a link each
    if query:
        assert all("_changelist_filters=" in row[1] for row in ours)


@pytest.mark.django_db
@pytest.mark.parametrize("key", [7, "a b", "x/y", "ü", "_x", "a?b#c%", "~:@&=+$,;!*()'"])
def test_a_row_link_quotes_any_key_as_django_does(rf, officer, key):
    from types import SimpleNamespace

    from django.contrib import admin
    from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
    from django.contrib.admin.views.main import ChangeList as DjangoChangeList

    from common.changelist import ChangeList

    request = rf.get("/admin/subjects/subject/?q=x")
    request.user, request.resolver_match = officer, resolve("/admin/subjects/subject/")
    model_admin = admin.site._registry[Subject]
    model_admin.get_changelist = lambda request, **kwargs: ChangeList
    try:
        ours = model_admin.get_changelist_instance(request)
    finally:
        del model_admin.get_changelist
    row = SimpleNamespace(id=key)
    assert ours.preserved_filters == ""  # the filters are in the link already

    expected = add_preserved_filters(
        {"preserved_filters": model_admin.get_preserved_filters(request), "opts": ours.opts},
        DjangoChangeList.url_for_result(ours, row),
    )
    assert ours.url_for_result(row) == expected


def _both_tables(rf, officer, model, url: str, language: str) -> tuple[str, str]:
    """A list's table as the project prints it (`result_rows_list`) and as Django's
    `result_list` does, for the same change list."""
    from django.contrib import admin

    request = rf.get(url)
    request.user, request.resolver_match = officer, resolve(url.partition("?")[0])
    with translation.override(language):
        changelist = admin.site._registry[model].get_changelist_instance(request)
        changelist.formset = None  # as changelist_view leaves a list without inline editing
        return _printed_both_ways(changelist)


def _printed_both_ways(changelist) -> tuple[str, str]:
    from django.template import engines

    engine = engines["django"]
    context = {"cl": changelist, "opts": changelist.opts}
    ours_template = engine.from_string("{% load change_list_parts %}{% result_rows_list cl %}")
    ours = ours_template.render(context)
    djangos = engine.from_string("{% load admin_list %}{% result_list cl %}").render(context)
    return ours, djangos


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_results_table_prints_as_djangos_result_list_prints_it(rf, officer, language):
    """The rows handed to Django's template as one string each print the same table."""
    for name in ("Айгерім", '<b>"Иван"</b>', "Анна"):
        SubjectFactory(first_name=name, email=f"p{Subject.objects.count()}@a.kz", phone="")
    ours, djangos = _both_tables(rf, officer, Subject, "/admin/subjects/subject/?q=а", language)

    assert ours == djangos
    assert ours.count("<tr>") == 4  # the headers and three rows
    assert "&lt;b&gt;&quot;Иван&quot;&lt;/b&gt;" in ours


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    ("query", "shows"),
    [
        ("?o=2", 'class="toggle ascending"'),  # sorted by one column: no priority shown
        ("?o=-3.2.7", '<span class="sortpriority" title='),  # by three, the first descending
        ("?q=nobody-is-called-this", None),  # no rows: no table
    ],
)
def test_the_table_around_the_rows_is_djangos_sorted_or_empty(rf, officer, language, query, shows):
    """The headers with their sorting links, and a list with no rows, as Django's template
    writes them (common.results_table)."""
    for name in ("Айгерім", "Анна"):
        SubjectFactory(first_name=name, email=f"p{Subject.objects.count()}@a.kz")
    ours, djangos = _both_tables(rf, officer, Subject, f"/admin/subjects/subject/{query}", language)

    assert ours == djangos
    if shows is None:
        assert "<table" not in ours
    else:
        assert shows in ours
        assert ours.count("<tr>") == 3


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_consent_list_prints_its_dates_and_checkboxes_as_djangos_result_list(
    rf, officer, language
):
    """Dates written once per day and time of day (common.page_dates), and the checkbox's label
    translated once per page, print the same rows as Django's own."""
    import datetime

    from consents.models import Consent
    from tests.consents.factories import ConsentFactory

    almaty = datetime.timezone(datetime.timedelta(hours=5))
    for moment in (
        datetime.datetime(2026, 12, 3, 0, 0, tzinfo=almaty),  # midnight, noon: said in words
        datetime.datetime(2026, 12, 3, 12, 0, tzinfo=almaty),
        datetime.datetime(2026, 12, 3, 9, 5, tzinfo=almaty),
        datetime.datetime(2026, 5, 1, 9, 5, tzinfo=datetime.UTC),
        datetime.datetime(2025, 12, 31, 20, 0, tzinfo=datetime.UTC),  # 1 January in Almaty
    ):
        ConsentFactory(given_at=moment)
    ours, djangos = _both_tables(rf, officer, Consent, "/admin/consents/consent/", language)

    assert ours == djangos
    assert ours.count('class="action-select"') == 5
    assert ours.count('<td class="field-given_at nowrap">') == 5


def _pages(queryset, monkeypatch, keys_first_from):
    from django.core.paginator import Paginator

    monkeypatch.setattr(pagination, "KEYS_FIRST_FROM", keys_first_from)
    ours = EstimatedCountPaginator(queryset, 10)
    djangos = Paginator(queryset, 10)
    return [
        ([s.pk for s in ours.page(n).object_list], [s.pk for s in djangos.page(n).object_list])
        for n in djangos.page_range
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "narrowed",
    [
        lambda subjects: subjects.order_by("-pk"),
        lambda subjects: subjects.order_by("last_name", "-pk"),  # not the key's order
        lambda subjects: subjects.filter(first_name="Айгерім").order_by("-created_at", "-pk"),
        lambda subjects: subjects.annotate(held=Count("handles")).order_by("-held", "pk"),
        lambda subjects: subjects.distinct().order_by("last_name", "pk"),  # Django's slice
    ],
)
def test_a_deep_page_holds_the_rows_djangos_paginator_gives_in_its_order(monkeypatch, narrowed):
    for n in range(25):
        SubjectFactory(last_name=f"Ә{25 - n:02d}", first_name="Айгерім" if n % 3 else "Асан")

    pages = _pages(narrowed(Subject.objects.all()), monkeypatch, keys_first_from=5)

    assert len(pages) >= 2
    for ours, djangos in pages:
        assert ours
        assert ours == djangos


@pytest.mark.django_db
def test_a_deep_page_reads_the_keys_of_its_rows_first_in_the_same_query(monkeypatch):
    for _n in range(25):
        SubjectFactory()
    monkeypatch.setattr(pagination, "KEYS_FIRST_FROM", 20)
    paginator = EstimatedCountPaginator(Subject.objects.order_by("-pk"), 10)

    with CaptureQueriesContext(connection) as first:
        list(paginator.page(2).object_list)  # 10 rows before it: Django's slice
    with CaptureQueriesContext(connection) as deep:
        list(paginator.page(3).object_list)  # 20 before it: the keys first

    assert "IN (SELECT" not in first[-1]["sql"]
    assert len(deep) == 1
    assert "IN (SELECT" in deep[0]["sql"]
    assert "OFFSET 20" in deep[0]["sql"]


@pytest.mark.django_db
def test_a_deep_page_of_the_subject_list_shows_the_rows_of_that_page(officer_client, monkeypatch):
    subjects = [SubjectFactory(last_name=f"Ә{n:03d}") for n in range(120)]
    monkeypatch.setattr(pagination, "KEYS_FIRST_FROM", 50)

    response = officer_client.get("/admin/subjects/subject/", {"p": "3"})

    shown = [subject.pk for subject in response.context["cl"].result_list]
    newest_first = sorted((s.pk for s in subjects), reverse=True)
    assert shown == newest_first[100:120]


@pytest.mark.django_db
def test_a_list_edited_in_place_keeps_djangos_table(edited_in_place):
    """A list with inline editing prints Django's own table: its rows are forms
    (common.results_table)."""
    ours, djangos = _printed_both_ways(edited_in_place)

    assert ours == djangos
    assert 'name="form-0-first_name" value="Айгерім"' in ours

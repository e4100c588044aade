"""What keeps the big admin lists fast: estimated counts, and a row checkbox without templates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common import pagination
from common.pagination import EstimatedCountPaginator
from subjects.models import Subject
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
def test_the_row_checkbox_is_djangos_own_written_in_place():
    from django.contrib import admin as django_admin

    from common.admin import HistoryAdmin

    subject = SubjectFactory(last_name='<b>"Қасымова"</b>')
    ours = HistoryAdmin(Subject, django_admin.site).action_checkbox(subject)
    djangos = django_admin.ModelAdmin(Subject, django_admin.site).action_checkbox(subject)

    assert str(ours) == str(djangos)


@pytest.mark.django_db
def test_a_filter_no_row_can_match_is_counted_as_django_counts_it(monkeypatch):
    monkeypatch.setattr(pagination, "ESTIMATE_FROM", 0)
    impossible = Subject.objects.filter(pk=10**20)  # beyond the column: Django matches nothing

    assert EstimatedCountPaginator(impossible, 10).count == 0

"""A paginator for the admin lists of big tables: the planner's row estimate instead of count(*).

Django's paginator counts the whole list on every page (`SELECT COUNT(*)`): at a million
subjects that scan alone costs more than the rest of the page. A list of that size needs an
order of magnitude, not the exact number, so above `ESTIMATE_FROM` rows the planner's estimate
is shown; below it (a filtered or searched list, a small register) the count stays exact and
costs little. The estimate is one `EXPLAIN` of the list's own query: the whole table's comes
from `pg_class.reltuples` kept by ANALYZE/autovacuum, a filtered one from the column statistics.
On other databases (the SQLite demo) the count is exact.

A page deep in such a list is found by its rows' keys first (`_by_keys`): PostgreSQL would
otherwise read every row it skips, whole.
"""

import json
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND
from django.utils.functional import cached_property

# Below this the exact count is cheap (well under a millisecond per thousand rows).
ESTIMATE_FROM = 10_000
# From this many rows before a page, its rows are found by their keys first (_by_keys).
KEYS_FIRST_FROM = 1_000


def estimated_count(queryset: QuerySet[Any]) -> int | None:
    """The planner's estimate of the rows `queryset` returns, or None where there is none."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    counted = queryset.order_by()
    if getattr(counted, "_fields", None) is None and not counted.query.combinator:
        # The rows of the list alone: the tables joined for its columns (select_related, by
        # foreign keys) add no rows, and planning those joins was most of the EXPLAIN's time
        # (consent list: 4.7 -> 0.8 ms).
        counted = counted.select_related(None)
    try:
        sql, params = counted.query.sql_with_params()
    except (EmptyResultSet, FullResultSet, OverflowError, ValueError):
        # A filter no row can match (an id beyond the column's range) or a value SQL cannot
        # hold: Django's own count knows what to answer (0, or a 400).
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # psycopg hands json over parsed; other drivers may not
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _rows_kept(queryset: QuerySet[Any]) -> tuple[int | None, bool]:
    """(the fewest rows a filter of `queryset` says it keeps, whether that filter is its only one).

    A filter may say how many rows it keeps (`rows_kept`): a search that has read the ids of
    what it found (subjects.selectors) keeps exactly those. Alone in the query, that is the
    count; beside other filters, at most that, so the count is small and exact at once.
    """
    query = queryset.query
    where = query.where
    if where.negated or where.connector != AND or query.is_sliced or query.combinator:
        return None, False
    kept = []
    for condition in where.children:
        if isinstance(condition, Exact) and condition.rhs is True:  # how filter() holds one
            condition = condition.lhs
        rows = getattr(condition, "rows_kept", None)
        if isinstance(rows, int):
            kept.append(rows)
    if not kept:
        return None, False
    return min(kept), len(where.children) == 1


def _by_keys(whole: QuerySet[Any], page: QuerySet[Any]) -> QuerySet[Any]:
    """`page` (a slice of `whole`) as the rows whose keys the same slice of keys holds.

    A page deep in a big list (`OFFSET 24950 LIMIT 50`) makes PostgreSQL read every row it
    skips, whole; the keys alone come from the list's index without touching the table (an
    index-only scan), and only the 50 rows shown are then read: page 500 of 1,000,000 subjects
    8-13 ms -> 3-4 ms, page 5,000 1.3 s -> 25 ms (bench/README.md, admin). Same rows, same
    order, one query.
    """
    query = page.query
    if (
        query.low_mark < KEYS_FIRST_FROM
        or query.high_mark is None
        or query.distinct  # its keys would come with the columns it orders by
        or query.combinator
        or connections[page.db].vendor != "postgresql"
    ):
        return page
    keys = whole.values("pk")[query.low_mark : query.high_mark]
    return whole.filter(pk__in=keys)


class EstimatedCountPaginator(Paginator):  # type: ignore[type-arg]
    """Django's paginator, counting with the planner's estimate when it is above ESTIMATE_FROM.

    A big list costs one query here (the EXPLAIN), a small one two cheap ones (the EXPLAIN and
    the exact count), whatever the page size; a list whose filter knows its rows (`_rows_kept`)
    none, or the exact count alone. An estimate can be off by some percent: the list says
    "about" where Django says the number."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            kept, alone = _rows_kept(self.object_list)
            if kept is not None and alone:
                return kept
            if kept is not None and kept < ESTIMATE_FROM:  # no estimate needed: few rows
                return super().count
            estimate = estimated_count(self.object_list)
            if estimate is not None and estimate >= ESTIMATE_FROM:
                return estimate
        return super().count

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        page = super().page(number)
        if isinstance(self.object_list, QuerySet) and isinstance(page.object_list, QuerySet):
            page.object_list = _by_keys(self.object_list, page.object_list)
        return page

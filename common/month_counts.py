"""Rows counted per calendar month (in Almaty) from a date on: one grouped query, for the desk's
charts. Callers cache the result: the query reads a year of rows of a large table."""

from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, DateField, QuerySet
from django.db.models.functions import TruncMonth

from common.workdays import ALMATY


def counts_per_month(queryset: QuerySet[Any], field: str, *, since: date) -> dict[date, int]:
    start = datetime.combine(since, time.min, tzinfo=ALMATY)
    month = TruncMonth(field, output_field=DateField(), tzinfo=ALMATY)
    rows = (
        queryset.filter(**{f"{field}__gte": start})
        .order_by()
        .annotate(month=month)
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    )
    return dict(rows)

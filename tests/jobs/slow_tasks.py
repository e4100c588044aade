"""A job that takes a while and writes once: the worker is killed while it runs."""

import datetime
import time

from django.db import transaction
from procrastinate.contrib.django import app

from common.models import CalendarDay, CalendarDayKind


@app.task(name="tests.slow_write", queue="test")
def slow_write(*, day: str, seconds: float) -> None:
    # Its write and the wait share one transaction: a worker killed in between commits nothing,
    # and a run after a committed one finds the row and writes nothing again.
    with transaction.atomic():
        _row, created = CalendarDay.objects.get_or_create(
            date=datetime.date.fromisoformat(day),
            defaults={"kind": CalendarDayKind.DAY_OFF, "note": "written by a job"},
        )
        if created:
            time.sleep(seconds)

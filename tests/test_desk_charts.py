"""The desk's charts: consents given and withdrawn, and requests received, per month over a year;
server-drawn SVG whose figures are cached, so the desk's queries stay bounded."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.svg_chart import last_months
from common.workdays import ALMATY, local_date
from consents.models import ConsentState
from tests.consents.factories import ConsentFactory
from tests.requests.factories import SubjectRequestFactory

BAR = re.compile(r"<title>([^<]+) — (\d+)</title>")


def _in(month, day: int = 10) -> datetime:
    return datetime(month.year, month.month, day, 12, tzinfo=ALMATY)


def _bars(page: str) -> dict[str, int]:
    return {label: int(value) for label, value in BAR.findall(page)}


@pytest.mark.django_db
def test_the_charts_count_each_month_of_the_last_year(officer_client):
    months = last_months(local_date(timezone.now()))
    this, last, too_old = months[-1], months[-2], months[0].replace(year=months[0].year - 1)
    ConsentFactory.create_batch(2, given_at=_in(this, 1))
    ConsentFactory(given_at=_in(last), state=ConsentState.WITHDRAWN, withdrawn_at=_in(this, 1),
                   withdrawal_channel="letter")  # fmt: skip
    ConsentFactory(given_at=_in(too_old))
    SubjectRequestFactory(received_at=_in(last))

    page = officer_client.get(reverse("admin:index")).content.decode()

    bars = _bars(page)
    name = f"{this:%b} {this.year}"
    assert bars[f"{name}: given"] == 2
    assert bars[f"{name}: withdrawn"] == 1
    assert bars[f"{last:%b} {last.year}: given"] == 1
    assert bars[f"{last:%b} {last.year}: received"] == 1
    assert sum(v for k, v in bars.items() if k.endswith("given")) == 3  # a year back, no more
    assert len([k for k in bars if k.endswith("received")]) == 12


@pytest.mark.django_db
def test_the_figures_are_read_once_and_then_cached(officer_client):
    ConsentFactory.create_batch(3)
    SubjectRequestFactory.create_batch(3)

    with CaptureQueriesContext(connection) as first:
        officer_client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as second:
        officer_client.get(reverse("admin:index"))

    grouped = [q["sql"] for q in first.captured_queries if "DATE_TRUNC" in q["sql"].upper()]
    assert len(grouped) == 3  # given, withdrawn, received: one grouped query each
    assert len(second) == len(first) - 3
    assert not [q for q in second.captured_queries if "DATE_TRUNC" in q["sql"].upper()]


@pytest.mark.django_db
def test_who_may_not_see_consents_or_requests_gets_no_chart_of_them(client, no_role_user):
    client.force_login(no_role_user)

    page = client.get(reverse("admin:index")).content.decode()

    assert "desk-chart" not in page

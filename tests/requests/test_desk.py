"""The desk (admin index): the work queue of open requests, and the registers in working order."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from common.workdays import work_calendar
from requests.admin.subject_request import deadline_text
from requests.models import RequestKind, RequestStatus
from requests.selectors import today_in_almaty
from tests.requests.factories import SubjectRequestFactory

INDEX = "admin:index"


@pytest.fixture(autouse=True)
def _language_restored():
    """Pages asked for in kk or ru leave that language active in this thread: put it back."""
    with translation.override(translation.get_language()):
        yield


def _due_in(working_days: int, **kwargs):
    calendar = work_calendar()
    today = today_in_almaty()
    if working_days >= 0:
        due = calendar.add_days(today, working_days)
    else:
        due = today - timedelta(days=1)
        while calendar.working_days_between(due, today) < -working_days:
            due -= timedelta(days=1)
    return SubjectRequestFactory(due_date=due, deadline_days=10, **kwargs)


@pytest.mark.django_db
def test_the_queue_lists_open_requests_the_least_time_left_first(officer_client, officer):
    later = _due_in(8, kind=RequestKind.ACCESS)
    overdue = _due_in(-2, kind=RequestKind.ERASURE, requester_last_name="Ким")
    today = _due_in(0, kind=RequestKind.RECTIFICATION)
    paused = SubjectRequestFactory(due_date=None, deadline_days=10)
    SubjectRequestFactory(status=RequestStatus.COMPLETED, due_date=None)

    response = officer_client.get(reverse(INDEX))

    rows = response.context["rows"]
    assert [row.subject_request for row in rows] == [overdue, today, later, paused]
    assert [row.days_left for row in rows] == [-2, 0, 8, None]
    page = response.content.decode()
    assert "queue-overdue" in page
    assert "queue-paused" in page
    assert "Ким" in page
    assert reverse("admin:requests_subjectrequest_change", args=[overdue.pk]) in page


@pytest.mark.django_db
def test_the_queue_tabs_show_my_requests_and_the_unassigned(officer_client, officer, staff_user):
    mine = _due_in(3, assignee=officer)
    theirs = _due_in(2, assignee=staff_user)
    nobodys = _due_in(4, assignee=None)

    def shown(tab: str) -> list:
        response = officer_client.get(reverse(INDEX) + f"?queue={tab}")
        return [row.subject_request for row in response.context["rows"]]

    assert shown("mine") == [mine]
    assert shown("unassigned") == [nobodys]
    assert shown("all") == [theirs, mine, nobodys]
    assert shown("bogus") == [theirs, mine, nobodys]
    response = officer_client.get(reverse(INDEX))
    counts = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {"all": 3, "mine": 1, "unassigned": 1}


@pytest.mark.django_db
def test_the_days_left_are_told_with_the_right_plural_in_each_language(officer_client):
    _due_in(1)
    _due_in(-1)

    pages = {
        lang: officer_client.get(reverse(INDEX), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        for lang in ("en", "ru", "kk")
    }

    assert "1 working day left" in pages["en"]
    assert "overdue by 1 working day<" in pages["en"]
    assert "1 рабочий день" in pages["ru"]
    assert "1 жұмыс күні" in pages["kk"]


@pytest.mark.django_db
def test_the_desk_costs_the_same_queries_for_two_requests_and_for_twenty(
    officer_client, officer, django_assert_max_num_queries
):
    for _ in range(2):
        _due_in(3, assignee=officer)
    with django_assert_max_num_queries(20) as few:
        officer_client.get(reverse(INDEX))
    for _ in range(18):
        _due_in(3, assignee=None)
    cache.clear()  # both loads read the charts' figures (three grouped queries), none cached
    with django_assert_max_num_queries(20) as many:
        officer_client.get(reverse(INDEX))

    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_staff_without_requests_see_no_queue(client, no_role_user):
    no_role_user.is_staff = True
    no_role_user.save()
    client.force_login(no_role_user)

    response = client.get(reverse(INDEX))

    assert "request-queue" not in response.content.decode()


@pytest.mark.django_db
def test_business_registers_come_first_and_security_last_with_translated_names(
    officer_client,
):
    response = officer_client.get(reverse(INDEX), HTTP_ACCEPT_LANGUAGE="kk")

    apps = response.context["app_list"]
    labels = [app["app_label"] for app in apps]
    assert labels[0] == "requests"
    assert labels[-1] == "security"
    assert not {"auth", "axes", "otp_totp"} & set(labels)
    security = {model["object_name"]: str(model["name"]) for model in apps[-1]["models"]}
    assert "TOTPDevice" in security
    assert "Group" in security
    assert str(apps[-1]["name"]) == "Қауіпсіздік"
    assert all("Axes" not in name and "TOTP device" not in name for name in security.values())


@pytest.mark.parametrize(
    ("language", "days", "unit", "shown"),
    [
        ("en", 1, "working_days", "1 working day"),
        ("en", 10, "working_days", "10 working days"),
        ("ru", 1, "working_days", "1 рабочий день"),
        ("ru", 3, "working_days", "3 рабочих дня"),
        ("ru", 10, "working_days", "10 рабочих дней"),
        ("ru", 21, "calendar_days", "21 календарный день"),
        ("kk", 1, "working_days", "1 жұмыс күні"),
        ("kk", 10, "working_days", "10 жұмыс күні"),
    ],
)
def test_a_deadline_is_told_with_the_plural_of_each_language(language, days, unit, shown):
    with translation.override(language):
        assert deadline_text(days, unit) == shown

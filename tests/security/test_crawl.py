"""Every admin URL, for each role, with hostile query strings and ids: never a 500.

Hostile means what a curious user or a scanner types: ids that are not numbers or overflow,
filters with values of the wrong type, impossible dates, page numbers far past the end, unknown
ordering columns, a NUL byte in the search. The filter parameters are read from each list's own
filter links, so a filter added tomorrow is crawled too.
"""

import re
from html import unescape
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.contrib import admin

from tests.security.admin_urls import AdminPage, admin_pages, one_of_each

# A user without a role is refused every page before any input is read (test_role_matrix).
ROLES = ["officer", "staff_user", "auditor"]

# For every changelist.
LIST_QUERIES = [
    "p=999999999", "p=abc", "o=99.abc.-x", "q=%00", "q=%27%22%3B--" + "x" * 500,
    "_to_field=password&_popup=1", "all=&p=5", "nonexistent__field=1",
]  # fmt: skip
# For every filter parameter found on a list.
BAD_VALUES = ["2026-13-45", "99999999999999999999"]
# For every date hierarchy.
BAD_DATES = ["__year=99999", "__year=0&{f}__month=13", "__year=2026&{f}__month=2&{f}__day=31"]
# In place of an object's id in its URLs.
BAD_IDS = ["1.5x", "99999999999999999999"]
AUTOCOMPLETE = [
    "app_label=subjects&model_name=subject&field_name=nope&term=a",
    "app_label=consents&model_name=consent&field_name=subject&term=%00",
    "app_label=auth&model_name=user&field_name=password&term=a",
    "app_label=nope&model_name=nope&field_name=nope",
    "app_label=requests&model_name=subjectrequest&field_name=subject&term=a&page=abc",
]


def _filter_parameters(html: str) -> set[str]:
    """The query parameters the list's filter links use."""
    names: set[str] = set()
    for href in re.findall(r'href="(\?[^"]*)"', html):
        names.update(name for name, _value in parse_qsl(unescape(href)[1:]))
    return names - {"o", "p", "q", "e", "_popup", "_to_field", "_facets"}


def _list_urls(client, page: AdminPage) -> list[str]:
    urls = [f"{page.url}?{query}" for query in LIST_QUERIES]
    first = client.get(page.url)
    if first.status_code == 200:
        for name in sorted(_filter_parameters(first.text)):
            urls += [f"{page.url}?{quote(name)}={value}" for value in BAD_VALUES]
    hierarchy = admin.site._registry[page.model].date_hierarchy  # type: ignore[index]
    if hierarchy:
        urls += [f"{page.url}?{hierarchy}{bad.format(f=hierarchy)}" for bad in BAD_DATES]
    return urls


def _object_urls(page: AdminPage, rows: dict) -> list[str]:
    obj = rows.get(page.model)
    if obj is None:
        return []
    marker = f"/{obj.pk}/"
    path = urlsplit(page.url).path
    if marker not in path:
        return []
    return [path.replace(marker, f"/{bad}/", 1) for bad in BAD_IDS]


def hostile_urls(client, pages: list[AdminPage], rows: dict) -> list[str]:
    urls = []
    for page in pages:
        if page.view == "changelist":
            urls += _list_urls(client, page)
        elif page.name == "autocomplete":
            urls += [f"{page.url}?{query}" for query in AUTOCOMPLETE]
        elif page.view == "export":
            urls += [f"{page.url}?format=99", f"{page.url}?q=%00&o=abc"]
        else:
            urls += _object_urls(page, rows)
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ROLES)
def test_no_admin_url_answers_500_to_hostile_input(request, client, officer, user_fixture):
    rows = one_of_each(officer)
    pages = admin_pages(rows)
    client.raise_request_exception = False
    client.force_login(request.getfixturevalue(user_fixture))

    urls = hostile_urls(client, pages, rows)
    failed = {url: status for url in urls if (status := client.get(url).status_code) >= 500}

    assert len(urls) > 300  # the crawl is real
    assert failed == {}


@pytest.mark.django_db
def test_a_nul_byte_anywhere_in_the_url_is_a_bad_request(client, officer):
    client.force_login(officer)

    statuses = [
        client.get("/admin/subjects/subject/?q=%00").status_code,
        client.get("/admin/subjects/subject/%00/change/").status_code,
        client.get("/unsubscribe/abc%00/").status_code,
    ]

    assert statuses == [400, 400, 400]


@pytest.mark.django_db
def test_the_history_of_an_id_that_cannot_exist_is_not_found(officer_client):
    pages = ["/admin/subjects/subject/abc/history/", "/admin/subjects/subject/1.5/history/7/"]

    assert [officer_client.get(url).status_code for url in pages] == [404, 404]


@pytest.mark.django_db
def test_an_impossible_date_or_export_filter_is_a_bad_request(officer_client):
    officer_client.raise_request_exception = False
    pages = [
        "/admin/requests/subjectrequest/export/?format=99",
        "/admin/requests/subjectrequest/?received_at__year=99999999999999999999",
    ]

    assert [officer_client.get(url).status_code for url in pages] == [400, 400]

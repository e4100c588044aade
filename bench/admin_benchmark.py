"""Admin pages at the size of a real register (PostgreSQL). Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes_bench \
        .venv/bin/python manage.py generate_dataset --subjects 1000000   # once, into a new db
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes_bench \
        .venv/bin/python bench/admin_benchmark.py [--runs 7]

Each page is requested in-process through Django's test client (the server's time: routing,
middleware, queries, rendering; no network), after one warm-up, median of --runs. Beside it,
in the same run, the same page the way Django does it by default: the plain paginator
(`count(*)` of the list), `icontains` over every search field, none of the indexes this
project adds for the lists (dropped inside a transaction that is rolled back at the end), and
Django's rendering of the sidebar's registers, of a list's filters, rows and table, and of their
links.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.contrib import admin  # noqa: E402
from django.contrib.admin import AdminSite  # noqa: E402
from django.contrib.admin.templatetags import admin_list  # noqa: E402
from django.contrib.admin.views.main import ChangeList  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.template import engines  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.templatetags import admin_nav as nav_tags  # noqa: E402
from common.admin import HistoryAdmin  # noqa: E402
from common.templatetags import change_list_parts as part_tags  # noqa: E402
from consents.models import Consent, Purpose, SuppressionEntry  # noqa: E402
from requests.models import SubjectRequest  # noqa: E402
from requests.templatetags import request_list as request_tags  # noqa: E402
from subjects.models import Subject  # noqa: E402

_DJANGOS_APP_LIST = engines["django"].from_string(
    "{% include 'admin/app_list.html' with app_list=available_apps show_changelinks=False %}"
)
_DJANGOS_INDEX_LIST = engines["django"].from_string(
    "{% include 'admin/app_list.html' with app_list=available_apps show_changelinks=True %}"
)
# What this project adds for the lists; the baseline runs without them.
# (The subject search's own table, subjects_subjectsearch, is not read by Django's search; its
# indexes go too, and the one trigram index on subjects_subject it replaced, on a database not
# yet migrated.)
ADDED_INDEXES = (
    "subject_search_text_trgm", "subject_search_phone_prefix", "subject_search_trgm",
    "consent_given_idx", "consent_purpose_given_idx", "suppression_created_idx",
    "request_received_idx",
)  # fmt: skip


def _pages() -> list[tuple[str, str]]:
    subject = Subject.objects.order_by("id")[Subject.objects.count() // 2 :].first()
    assert subject is not None, "no subjects: run manage.py generate_dataset first"
    phone = Subject.objects.exclude(phone="").filter(id__gt=subject.pk).order_by("id").first()
    digits = phone.phone[2:] if phone else "7010007919"  # 7012345678
    newsletter = Purpose.objects.get(code="newsletter")
    departed = "departed.77@" + "inbox.kz"
    subjects = "/admin/subjects/subject/"
    return [
        ("desk (admin index)", "/admin/"),
        ("subject list, first page", subjects),
        ("subject list, page 500", f"{subjects}?p=500"),
        ("search: e-mail fragment", f"{subjects}?q=ova1234%40"),
        ("search: e-mail fragment, no @", f"{subjects}?q=zhuldyz.usenova12"),
        ("search: phone '8 701 …'", f"{subjects}?q=8+{digits[:3]}+{digits[3:6]}+{digits[6:8]}"),
        ("search: phone '+7 701 …'", f"{subjects}?q=%2B7+{digits[:3]}+{digits[3:6]}"),
        ("search: phone '701 …' fragment", f"{subjects}?q={digits[:3]}+{digits[3:7]}"),
        ("search: Kazakh name, lower case", f"{subjects}?q=құрманғали"),
        ("search: Russian name and first name", f"{subjects}?q=ФЁДОРОВА+ЕЛЕНА"),
        ("subject page", f"{subjects}{subject.pk}/change/"),
        ("subject history", f"{subjects}{subject.pk}/history/"),
        (
            "consent list, newsletter purpose",
            f"/admin/consents/consent/?purpose__id__exact={newsletter.pk}",
        ),
        ("request list", "/admin/requests/subjectrequest/"),
        ("suppression list search", f"/admin/consents/suppressionentry/?q={departed}"),
    ]


def _measure(client: Client, url: str, runs: int) -> tuple[float, int, float, float]:
    """Median server time (ms), the query count, the median SQL time (ms) of a page, and its
    fastest run (ms): on a machine shared with other work, the nearest to what the page itself
    costs (the median is the figure the target is about)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times, sql_times, counts = [], [], []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries))
        sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    return statistics.median(times), max(counts), statistics.median(sql_times), min(times)


@contextmanager
def django_defaults() -> Iterator[None]:
    """The lists as Django's defaults serve them, rolled back afterwards."""
    from common.pagination import EstimatedCountPaginator

    patched: list[tuple[object, str, object]] = []

    def patch(owner: object, name: str, value: object) -> None:
        patched.append((owner, name, owner.__dict__.get(name, _MISSING)))
        setattr(owner, name, value)

    for model in (Subject, SubjectRequest, SuppressionEntry, Consent):
        model_admin = admin.site._registry[model]
        if getattr(model_admin, "paginator", None) is EstimatedCountPaginator:
            patch(type(model_admin), "paginator", Paginator)
        if "get_search_results" in type(model_admin).__dict__:
            patch(type(model_admin), "get_search_results", admin.ModelAdmin.get_search_results)
    patch(
        type(admin.site._registry[Subject]),
        "search_fields",
        ("email", "last_name", "first_name", "patronymic", "phone"),
    )
    # Django's rendering too: the registers of the sidebar and the desk (URLs reversed on every
    # page, the app_list template), a list's filters (admin/filter.html), its rows
    # (items_for_result) in admin/change_list_results.html, its page links (admin/pagination.html),
    # and the rows' links (ChangeList).
    patch(type(admin.site), "_build_app_dict", AdminSite._build_app_dict)
    patch(nav_tags, "nav_sidebar_apps", _djangos_sidebar)
    patch(nav_tags, "app_list_markup", _djangos_app_list)
    patch(part_tags, "list_filters_markup", _djangos_filters)
    patch(part_tags, "pagination_markup", _djangos_pagination)
    patch(part_tags, "results_table", _djangos_results_table)
    patch(request_tags, "results_table", _djangos_results_table)
    patch(HistoryAdmin, "get_changelist", admin.ModelAdmin.get_changelist)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                for index in ADDED_INDEXES:
                    cursor.execute(f"DROP INDEX IF EXISTS {index}")
            yield
            transaction.set_rollback(True)
    finally:
        for owner, name, value in reversed(patched):
            if value is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, value)


_MISSING = object()


def _djangos_filters(cl: ChangeList) -> str:
    """`{% for spec in cl.filter_specs %}{% admin_list_filter cl spec %}{% endfor %}`."""
    specs: list[Any] = list(cl.filter_specs)  # typed as the base class; each is a field's
    return "".join(admin_list.admin_list_filter(cl, spec) for spec in specs)


def _djangos_pagination(cl: ChangeList) -> str:
    """`{% pagination cl %}`."""
    return render_to_string("admin/pagination.html", admin_list.pagination(cl))


def _djangos_results_table(cl: ChangeList, rows: object) -> str:
    """`{% result_list cl %}`: Django's rows (items_for_result) in Django's template."""
    return render_to_string("admin/change_list_results.html", admin_list.result_list(cl))


def _djangos_sidebar(app_list: list, request_path: str) -> str:
    return _djangos_app_list(app_list, request_path, change_links=False)


def _djangos_app_list(app_list: list, request_path: str, *, change_links: bool) -> str:
    request = RequestFactory().get(request_path)
    template = _DJANGOS_INDEX_LIST if change_links else _DJANGOS_APP_LIST
    return template.render({"available_apps": app_list, "request": request})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--only", default="", help="measure the pages whose name contains this")
    options = parser.parse_args()

    user, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    pages = [(name, url) for name, url in _pages() if options.only in name]
    ours: dict[str, tuple[float, int, float, float]] = {}
    defaults: dict[str, tuple[float, int, float, float]] = {}
    # Page by page, ours and then Django's defaults right after it: both meet the machine in
    # the same state (measured all of ours first, the same page came out 10-20% apart).
    for name, url in pages:
        ours[name] = _measure(client, url, options.runs)
        if not options.no_baseline:
            with django_defaults():
                defaults[name] = _measure(client, url, max(3, options.runs // 2))

    print(f"{Subject.objects.count():,} subjects; median of {options.runs} runs, in-process")
    print(
        f"{'page':40} {'ours ms':>8} {'SQL ms':>7} {'queries':>7} {'fastest':>7}"
        f"   {'Django ms':>9} {'SQL ms':>7} {'queries':>7}"
    )
    for name, _url in pages:
        server, count, sql, fastest = ours[name]
        line = f"{name:40} {server:8.1f} {sql:7.1f} {count:7d} {fastest:7.1f}"
        if name in defaults:
            d_server, d_count, d_sql, _fastest = defaults[name]
            line += f"   {d_server:9.1f} {d_sql:7.1f} {d_count:7d}"
        print(line)


if __name__ == "__main__":
    main()

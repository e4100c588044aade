"""The admin's list of registers: the same as Django builds it, for every role, only cheaper
(accounts.admin_nav)."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix
from django.utils import translation

from accounts import admin_nav
from accounts.admin_nav import app_list_markup, nav_sidebar_apps
from tests.markup import without_indentation

_DJANGO_APP_LIST = engines["django"].from_string(
    "{% include 'admin/app_list.html' with app_list=available_apps show_changelinks=False %}"
)
# The desk (the admin index) lists them with their change links.
_DJANGO_INDEX_LIST = engines["django"].from_string(
    "{% include 'admin/app_list.html' with app_list=available_apps show_changelinks=True %}"
)


def _request(user, path="/admin/consents/consent/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "staff_user", "auditor", "no_role_user"])
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_registers_are_those_django_lists_for_each_role(request, role, language):
    user = request.getfixturevalue(role)
    web_request = _request(user)

    with translation.override(language):
        ours = admin.site.get_app_list(web_request)
        djangos = AdminSite._build_app_dict(admin.site, _request(user))
        listed = {app["app_label"]: app for app in ours}
        for label, app in djangos.items():
            if label in listed:  # the security apps are listed together under one heading
                assert listed[label]["app_url"] == app["app_url"]
        ours_by_name = {m["object_name"]: m for app in ours for m in app["models"]}
        theirs_by_name = {m["object_name"]: m for app in djangos.values() for m in app["models"]}
        assert ours_by_name.keys() == theirs_by_name.keys()
        for name, model in theirs_by_name.items():
            for key in ("admin_url", "add_url", "perms", "view_only"):
                assert ours_by_name[name].get(key) == model.get(key), (name, key)

        sidebar = nav_sidebar_apps(ours, web_request.path)
        assert without_indentation(sidebar) == without_indentation(
            _DJANGO_APP_LIST.render({"available_apps": ours, "request": web_request})
        )
        desk = app_list_markup(ours, "/admin/", change_links=True)
        index = {"available_apps": ours, "request": _request(user, "/admin/")}
        assert without_indentation(desk) == without_indentation(_DJANGO_INDEX_LIST.render(index))


@pytest.mark.django_db
def test_the_sidebar_marks_the_register_of_the_page(officer):
    path = reverse("admin:consents_consent_changelist")

    html = str(nav_sidebar_apps(admin.site.get_app_list(_request(officer, path)), path))

    assert html.count("current-model") == 1
    assert re.search(r'<tr class="model-consent current-model">', html)
    assert html.count('aria-current="page"') == 1


@pytest.mark.django_db
def test_a_user_without_registers_is_told_so():
    with translation.override("ru"):
        assert "<p>" in nav_sidebar_apps([], "/admin/")


@pytest.mark.django_db
def test_urls_are_reversed_once_and_follow_the_script_prefix(officer, monkeypatch):
    admin.site.get_app_list(_request(officer))
    calls = []
    monkeypatch.setattr(admin_nav, "reverse", lambda *a, **k: calls.append(a) or reverse(*a, **k))

    admin.site.get_app_list(_request(officer))
    assert calls == []

    set_script_prefix("/derbes/")
    try:
        apps = admin.site.get_app_list(_request(officer))
    finally:
        set_script_prefix("/")
    assert calls  # a new prefix: reversed again, under it
    assert all(app["app_url"].startswith("/derbes/admin/") for app in apps)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "auditor"])
def test_the_desk_lists_the_registers_with_the_links_the_role_has(request, role):
    from django.test import Client

    client = Client()
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("admin:index")).content.decode()

    main = page[page.index('<div id="content-main">') :]
    changelist = reverse("admin:subjects_subject_changelist")
    link = "changelink" if role == "officer" else "viewlink"
    assert f'<a href="{changelist}" class="{link}" aria-describedby="subjects-subject">' in main
    assert ('class="addlink"' in main) is (role == "officer")
    assert 'id="nav-sidebar"' not in page


@pytest.mark.django_db
def test_a_list_page_shows_the_sidebar(officer_client):
    response = officer_client.get(reverse("admin:subjects_subject_changelist"))

    page = response.content.decode()
    assert 'id="nav-sidebar"' in page
    assert f'href="{reverse("admin:consents_consent_changelist")}"' in page
    assert '<tr class="model-subject current-model">' in page


@pytest.mark.django_db
def test_the_sidebar_is_written_once_and_never_shown_to_a_role_it_was_not_written_for(
    officer, auditor, no_role_user
):
    path = reverse("admin:consents_consent_changelist")
    admin_nav._app_list.cache_clear()

    def both(user):
        apps = admin.site.get_app_list(_request(user, path))
        djangos = _DJANGO_APP_LIST.render({"available_apps": apps, "request": _request(user, path)})
        return without_indentation(nav_sidebar_apps(apps, path)), without_indentation(djangos)

    with translation.override("kk"):
        first = both(officer)
        again = both(officer)
        assert admin_nav._app_list.cache_info().hits == 1  # the second page wrote nothing
        for user in (auditor, no_role_user):  # the officer's markup is not theirs
            ours, djangos = both(user)
            assert ours == djangos != first[0]
    with translation.override("en"):  # nor another language's
        assert both(officer)[0] == both(officer)[1] != first[0]
    assert first[0] == first[1] == again[0]

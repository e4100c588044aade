import pytest
from django.contrib import admin
from django.urls import resolve

from subjects.models import Subject
from tests.subjects.factories import SubjectFactory


@pytest.fixture
def edited_in_place(rf, officer, monkeypatch):
    """The subject list as a list with inline editing would be (none of the project's lists is
    today): its first names in a formset, as `changelist_view` leaves it."""
    model_admin = admin.site._registry[Subject]
    monkeypatch.setattr(model_admin, "list_editable", ("first_name",))
    SubjectFactory(first_name="Айгерім", email="edit@a.kz")
    request = rf.get("/admin/subjects/subject/")
    request.user, request.resolver_match = officer, resolve("/admin/subjects/subject/")
    changelist = model_admin.get_changelist_instance(request)
    changelist.formset = model_admin.get_changelist_formset(request)(
        queryset=changelist.result_list
    )
    return changelist

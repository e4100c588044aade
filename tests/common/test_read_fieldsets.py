"""Read-only fieldsets written in one pass print what Django's `admin/includes/fieldset.html`
prints (common.read_fieldsets)."""

import datetime

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from common.read_fieldsets import read_fieldset
from tests.markup import without_indentation
from tests.subjects.factories import SubjectFactory

_DJANGOS = engines["django"].from_string(
    '{% include "admin/includes/fieldset.html" with heading_level=2 prefix="fieldset" '
    "id_prefix=0 id_suffix=index %}"
)


def _fieldsets(client, subject, query=""):
    response = client.get(reverse("admin:subjects_subject_change", args=[subject.pk]) + query)
    assert response.status_code == 200
    return response, list(response.context["adminform"])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_subject_read_prints_its_fieldsets_as_djangos_template(officer_client, language):
    subject = SubjectFactory(
        last_name='<b>"Қасымова"</b> & Co',
        first_name="Әсел",
        patronymic="",
        birth_date=datetime.date(2012, 2, 29),  # a minor: the "minor" field shows an icon
        city="Алматы",
    )
    officer_client.cookies["django_language"] = language

    with translation.override(language):
        response, fieldsets = _fieldsets(officer_client, subject)
        for index, fieldset in enumerate(fieldsets):
            ours = read_fieldset(
                fieldset, heading_level=2, prefix="fieldset", id_prefix=0, id_suffix=index
            )
            djangos = _DJANGOS.render({"fieldset": fieldset, "index": index})
            assert ours is not None
            assert without_indentation(ours) == without_indentation(djangos)

    page = response.content.decode()
    assert len(fieldsets) >= 5
    assert "&lt;b&gt;&quot;Қасымова&quot;&lt;/b&gt; &amp; Co" in page
    assert page.count('class="fieldset-heading"') == len(fieldsets)


@pytest.mark.django_db
def test_on_the_form_a_fieldset_with_a_field_to_edit_is_left_to_djangos_template(officer_client):
    from django.contrib.admin.helpers import AdminReadonlyField

    subject = SubjectFactory(last_name="Иванова")

    response, fieldsets = _fieldsets(officer_client, subject, "?edit=1")

    written = {}
    for index, fieldset in enumerate(fieldsets):
        fields = [field for line in fieldset for field in line]
        ours = read_fieldset(
            fieldset, heading_level=2, prefix="fieldset", id_prefix=0, id_suffix=index
        )
        if all(isinstance(field, AdminReadonlyField) for field in fields):
            assert ours is not None
            assert without_indentation(ours) == without_indentation(
                _DJANGOS.render({"fieldset": fieldset, "index": index})
            )
        written[fieldset.name] = ours is not None
    assert written[fieldsets[0].name] is False  # the name, to edit
    assert True in written.values()  # the state, read-only on the form too
    assert 'name="last_name"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Кім", ""])
def test_several_fields_on_a_line_a_description_and_a_folded_fieldset_print_as_djangos(
    rf, officer, name
):
    from django.contrib import admin
    from django.contrib.admin.helpers import Fieldset

    from subjects.models import Subject

    subject = SubjectFactory(last_name="Иванова", first_name="<i>Анна</i>", patronymic="Сергеевна")
    request = rf.get("/")
    request.user = officer
    model_admin = admin.site._registry[Subject]
    form = model_admin.get_form(request, subject, fields=[])(instance=subject)
    fieldset = Fieldset(
        form,
        name=name,
        readonly_fields=("last_name", "first_name", "patronymic", "email", "minor"),
        fields=(("last_name", "first_name"), "patronymic", ("email", "minor")),
        classes=("collapse", "wide"),
        description="<em>Как в документе.</em>",
        model_admin=model_admin,
    )

    ours = read_fieldset(fieldset, heading_level=3, prefix="fs", id_prefix=1, id_suffix=2)
    djangos = (
        engines["django"]
        .from_string(
            '{% include "admin/includes/fieldset.html" with heading_level=3 prefix="fs" '
            "id_prefix=1 id_suffix=2 %}"
        )
        .render({"fieldset": fieldset})
    )

    assert ours is not None
    assert without_indentation(ours) == without_indentation(djangos)
    assert ("<details>" in ours) is bool(name)
    assert ours.count("fieldBox") == 4

"""The subject's page: everything held on the person in one place, read first and edited on
request, one merged history, the actions as buttons, namesakes told apart in pickers."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.history import save_with_history
from consents.models import ConsentState
from erasure.services import subject_erase
from subjects.admin import SubjectAdmin
from subjects.models import SubjectState
from tests.consents.factories import ConsentFactory
from tests.requests.factories import SubjectRequestFactory
from tests.subjects.factories import ContactHandleFactory, SubjectFactory
from tests.subjects.test_admin import CHANGE_INLINES, _form


def _page(client: Client, subject) -> str:
    response = client.get(reverse("admin:subjects_subject_change", args=[subject.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _history(client: Client, subject) -> str:
    response = client.get(reverse("admin:subjects_subject_history", args=[subject.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_page_shows_consents_requests_and_the_actions(officer_client):
    subject = SubjectFactory()
    ConsentFactory(subject=subject, evidence="Signed form No. 77")
    asked = SubjectRequestFactory(subject=subject)

    content = _page(officer_client, subject)

    assert "Signed form No. 77" in content  # the consent's evidence
    assert reverse("admin:requests_subjectrequest_change", args=[asked.pk]) in content
    assert reverse("admin:requests_subjectrequest_report", args=[asked.pk]) in content
    for action in ("block_subjects", "erase_subjects"):  # each posted to its confirmation page
        assert f'name="action" value="{action}"' in content
    assert reverse("admin:subjects_subject_export") + f"?id__exact={subject.pk}" in content


@pytest.mark.django_db
def test_agreement_data_is_refused_in_place_to_a_role_without_it(client, staff_user):
    client.force_login(staff_user)
    subject = SubjectFactory()

    content = _page(client, subject)

    assert 'class="subject-panel-refused"' in content
    assert "Your role does not allow you to see agreement data" in content


@pytest.mark.django_db
def test_the_block_button_leads_to_a_confirmation_and_blocks_with_the_reason(
    officer_client, officer
):
    subject = SubjectFactory()
    changelist = reverse("admin:subjects_subject_changelist")
    chosen = {"action": "block_subjects", "_selected_action": str(subject.pk)}

    asked = officer_client.post(changelist, chosen)
    assert asked.status_code == 200
    assert 'name="confirm"' in asked.content.decode()
    officer_client.post(changelist, {**chosen, "confirm": "1", "reason": "Request No. 5"})

    subject.refresh_from_db()
    assert subject.state == SubjectState.BLOCKED
    latest = subject.history.first()
    assert (latest.history_user, latest.history_change_reason) == (officer, "Request No. 5")


@pytest.mark.django_db
def test_one_history_holds_the_person_and_everything_attached_newest_first(officer_client):
    subject = SubjectFactory()
    ContactHandleFactory(subject=subject)
    consent = ConsentFactory(subject=subject)
    consent.state, consent.withdrawn_at = ConsentState.WITHDRAWN, timezone.now()
    save_with_history(consent, actor=None, reason="Unsubscribe link")
    SubjectRequestFactory(subject=subject)

    content = _history(officer_client, subject)

    rows = content.split("<tbody>")[1]
    order = [rows.index(label) for label in ("Subject request #", "Consent #", "Contact handle #",
                                              "Data subject #")]  # fmt: skip
    assert order == sorted(order)
    assert "Given&nbsp;&rarr;&nbsp;Withdrawn" in rows  # labels, not codes
    assert "the subject (unsubscribe link)" in rows


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_history_page_queries_do_not_grow_with_history_rows(officer_client):
    subject = SubjectFactory()
    consent = ConsentFactory(subject=subject)
    url = reverse("admin:subjects_subject_history", args=[subject.pk])

    def change(times: int) -> None:
        for n in range(times):
            consent.evidence = f"evidence {n}"
            save_with_history(consent, actor=None, reason="test")

    # A page costs a query per kind of row on it: both pages show the consent's changes only.
    change(55)
    few = _queries(officer_client, url)
    change(150)
    many = _queries(officer_client, url)

    assert many == few


@pytest.mark.django_db
def test_the_subject_page_queries_do_not_grow_with_history_rows(officer_client):
    subject = SubjectFactory()
    consent = ConsentFactory(subject=subject)
    url = reverse("admin:subjects_subject_change", args=[subject.pk])
    for n in range(12):
        consent.evidence = f"evidence {n}"
        save_with_history(consent, actor=None, reason="test")
    few = _queries(officer_client, url)

    for n in range(100):
        consent.evidence = f"more evidence {n}"
        save_with_history(consent, actor=None, reason="test")

    assert _queries(officer_client, url) == few


@pytest.mark.django_db
def test_namesakes_are_told_apart_in_the_autocomplete(officer_client):
    for email, born in (("aigerim.one@example.kz", date(1990, 5, 1)), ("bota@mail.kz", None)):
        SubjectFactory(
            last_name="Серікова", first_name="Айгерім", patronymic="", email=email, birth_date=born
        )

    response = officer_client.get(
        reverse("admin:autocomplete"),
        {"term": "Серікова", "app_label": "consents", "model_name": "consent",
         "field_name": "subject"},
    )  # fmt: skip

    labels = sorted(result["text"] for result in json.loads(response.content)["results"])
    assert labels == ["Серікова Айгерім (a***@example.kz, 1990)", "Серікова Айгерім (b***@mail.kz)"]


@pytest.mark.django_db
def test_a_chosen_subject_is_named_with_its_e_mail_in_the_form(officer_client):
    subject = SubjectFactory(
        last_name="Серікова", first_name="Айгерім", patronymic="", email="aa@example.kz"
    )

    response = officer_client.get(reverse("admin:consents_consent_add"), {"subject": subject.pk})

    assert "Серікова Айгерім (a***@example.kz)" in response.content.decode()


@pytest.mark.django_db
def test_an_erased_subject_shows_read_only_with_the_banner_and_no_actions(officer_client, officer):
    subject = SubjectFactory()
    ConsentFactory(subject=subject)
    subject_erase(subject=subject, actor=officer, reason="Asked by letter")

    content = _page(officer_client, subject)

    assert "erasure-note" in content
    assert 'name="_save"' not in content
    for action in ("block_subjects", "erase_subjects"):
        assert f'value="{action}"' not in content
    assert "/export/?id__exact=" not in content
    assert "Asked by letter" in _history(officer_client, subject)  # the history stays readable


@pytest.mark.django_db
def test_the_page_shows_every_field_and_handle_read_and_the_form_on_request(officer_client):
    subject = SubjectFactory(city="Шымкент", country="KZ")
    ContactHandleFactory(subject=subject, value="@aigerim_s")
    url = reverse("admin:subjects_subject_change", args=[subject.pk])

    read = _page(officer_client, subject)
    form = officer_client.get(url, {"edit": "1"}).content.decode()

    shown = [name for _title, options in SubjectAdmin.fieldsets for name in options["fields"]]
    for name in shown:  # every field, as text
        assert f"field-{name}" in read
    assert "Шымкент" in read
    assert "Kazakhstan" in read
    assert "@aigerim_s" in read  # the handles panel
    assert 'name="city"' not in read
    assert 'name="handles-TOTAL_FORMS"' not in read
    assert 'name="change_reason"' not in read
    assert f'href="{url}?edit=1"' in read  # the Edit button
    assert 'name="city" value="Шымкент"' in form
    assert 'value="@aigerim_s"' in form  # the handles, editable in place
    assert 'name="change_reason"' in form


@pytest.mark.django_db
def test_the_edit_button_keeps_the_filters_of_the_list(officer_client):
    subject = SubjectFactory()
    url = reverse("admin:subjects_subject_change", args=[subject.pk])

    read = officer_client.get(url, {"_changelist_filters": "state=active"})

    assert read.context["subject_edit_url"] == (f"{url}?_changelist_filters=state%3Dactive&edit=1")


@pytest.mark.django_db
def test_the_auditor_reads_the_page_without_an_edit_button(client, auditor):
    client.force_login(auditor)
    subject = SubjectFactory()
    url = reverse("admin:subjects_subject_change", args=[subject.pk])

    read = client.get(url)
    asked = client.get(url, {"edit": "1"})

    assert read.status_code == asked.status_code == 200
    assert read.context["subject_edit_url"] == ""
    assert "?edit=1" not in read.text
    assert 'name="last_name"' not in asked.text  # the form, asked for anyway, is read-only
    assert 'name="_save"' not in asked.text


@pytest.mark.django_db
def test_a_popup_opens_the_form(officer_client):
    subject = SubjectFactory()
    url = reverse("admin:subjects_subject_change", args=[subject.pk])

    popup = officer_client.get(url, {"_popup": "1", "_to_field": "id"})

    assert 'name="last_name"' in popup.content.decode()


@pytest.mark.django_db
def test_save_and_continue_editing_returns_to_the_form(officer_client, officer):
    subject = SubjectFactory(city="Алматы")
    url = reverse("admin:subjects_subject_change", args=[subject.pk])

    saved = officer_client.post(
        url,
        _form(
            CHANGE_INLINES, city="Астана", email=subject.email, change_reason="Letter of 3 March",
            _continue="1",
        ),
    )  # fmt: skip

    assert saved.status_code == 302
    assert saved["Location"] == f"{url}?edit=1"
    latest = subject.history.first()
    assert (latest.city, latest.history_user) == ("Астана", officer)
    assert latest.history_change_reason == "Letter of 3 March"


@pytest.mark.django_db
def test_the_page_read_or_edited_costs_the_same_queries_for_one_handle_and_for_six(
    officer_client,
):
    subject = SubjectFactory()
    ContactHandleFactory(subject=subject)
    url = reverse("admin:subjects_subject_change", args=[subject.pk])
    edit = f"{url}?edit=1"
    read_one, edit_one = _queries(officer_client, url), _queries(officer_client, edit)

    ContactHandleFactory.create_batch(5, subject=subject)

    assert _queries(officer_client, url) == read_one
    assert _queries(officer_client, edit) == edit_one
    assert read_one <= edit_one


@pytest.mark.django_db
def test_an_old_version_of_the_person_is_read_as_text(officer_client, officer):
    subject = SubjectFactory(city="Алматы")
    subject.city = "Астана"
    save_with_history(subject, actor=officer, reason="Moved")
    old = subject.history.last()

    page = officer_client.get(
        reverse("admin:subjects_subject_simple_history", args=[subject.pk, old.history_id])
    )

    assert page.status_code == 200
    assert "Алматы" in page.text
    assert 'name="city"' not in page.text

import pytest
from django.urls import reverse

from subjects.models import ContactHandle, Subject
from tests.subjects.factories import SubjectFactory

ADD_URL = reverse("admin:subjects_subject_add")
CHANGELIST_URL = reverse("admin:subjects_subject_changelist")


def _form(inlines: tuple[str, ...] = ("handles",), **values) -> dict:
    """A subject form as the browser posts it, with empty inlines (the change page has three)."""
    management = {
        f"{prefix}-{name}": value
        for prefix in inlines
        for name, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    }
    return {"source": "phone_call", "preferred_language": "kk", **management, **values}


CHANGE_INLINES = ("handles", "consents", "consents-2", "requests")


@pytest.mark.django_db
def test_a_subject_added_in_the_admin_goes_through_the_service(officer_client, officer):
    response = officer_client.post(
        ADD_URL,
        _form(
            last_name="Беков",
            first_name="Тимур",
            email="Timur.Bekov@Example.net",
            phone="8 702 000 00 02",
            **{
                "handles-TOTAL_FORMS": "1",
                "handles-0-kind": "telegram",
                "handles-0-value": "@timur",
            },
        ),
    )

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    subject = Subject.objects.get()
    assert (subject.email, subject.phone) == ("timur.bekov@example.net", "+77020000002")
    record = subject.history.get()
    assert (record.history_user, record.history_change_reason) == (officer, "Created in the admin")
    handle = ContactHandle.objects.get()
    assert handle.history.get().history_user == officer


@pytest.mark.django_db
def test_a_change_without_a_reason_is_refused(officer_client):
    subject = SubjectFactory(city="Алматы")

    response = officer_client.post(
        reverse("admin:subjects_subject_change", args=[subject.pk]),
        _form(CHANGE_INLINES, city="Астана", email=subject.email),
    )

    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    subject.refresh_from_db()
    assert subject.city == "Алматы"


@pytest.mark.django_db
def test_a_change_records_the_written_reason(officer_client, officer):
    subject = SubjectFactory(city="Алматы")

    response = officer_client.post(
        reverse("admin:subjects_subject_change", args=[subject.pk]),
        _form(
            CHANGE_INLINES, city="Астана", email=subject.email, change_reason="Letter of 3 March"
        ),
    )

    assert response.status_code == 302
    latest = subject.history.first()
    assert (latest.city, latest.history_user) == ("Астана", officer)
    assert latest.history_change_reason == "Letter of 3 March"


@pytest.mark.django_db
def test_an_invalid_phone_is_shown_on_the_form_and_nothing_is_saved(officer_client):
    response = officer_client.post(ADD_URL, _form(last_name="Беков", phone="7,70E+10"))

    assert response.status_code == 200
    assert "phone" in response.context["adminform"].form.errors
    assert not Subject.objects.exists()


@pytest.mark.django_db
def test_search_finds_subjects_by_email_name_and_phone_fragments(officer_client):
    SubjectFactory(last_name="Сидоренко", email="olga.s@example.org", phone="+77010000099")
    SubjectFactory(last_name="Беков", email="timur@example.net", phone="+77020000002")

    def found(query: str) -> list[str]:
        response = officer_client.get(CHANGELIST_URL, {"q": query})
        return [s.last_name for s in response.context["cl"].result_list]

    assert found("olga.s") == ["Сидоренко"]
    assert found("Беков") == ["Беков"]
    assert found("0000099") == ["Сидоренко"]


@pytest.mark.django_db
def test_an_old_version_can_be_read_but_not_reverted_to(officer_client, officer):
    subject = SubjectFactory(city="Алматы")
    first = subject.history.get()
    subject.city = "Астана"
    subject.save()
    url = reverse("admin:subjects_subject_simple_history", args=[subject.pk, first.history_id])

    page = officer_client.get(url)
    posted = officer_client.post(
        url, _form(CHANGE_INLINES, city="Алматы", email=subject.email, change_reason="revert")
    )

    assert page.status_code == 200
    assert "Revert" not in page.text
    assert posted.status_code == 403
    subject.refresh_from_db()
    assert subject.city == "Астана"

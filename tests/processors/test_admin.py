from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from processors.models import Disclosure, RecipientKind
from tests.consents.factories import purpose
from tests.processors.factories import DisclosureFactory, ProcessorFactory, consent_given
from tests.subjects.factories import SubjectFactory

FLAG = "cross-border transfer not covered by consent"


def _subject_page(client, subject):
    return client.get(reverse("admin:subjects_subject_change", args=[subject.pk]))


@pytest.mark.django_db
def test_the_subject_page_flags_a_cross_border_transfer_no_consent_covers(officer_client):
    # Given a newsletter consent without cross-border transfer, and a mailer abroad
    subject = SubjectFactory()
    consent_given(subject)
    ProcessorFactory(
        legal_name="Mailer Inc.",
        country="US",
        stores_data_in_kazakhstan=False,
        purposes=[purpose("newsletter")],
    )

    # When the officer opens the subject
    response = _subject_page(officer_client, subject)

    # Then the recipients list names the mailer and flags the transfer in red
    content = response.content.decode()
    assert response.status_code == 200
    assert "Recipients of the data" in content
    assert "Mailer Inc. (United States of America)" in content
    assert FLAG in content
    assert "<strong" in content.split(FLAG)[0].rsplit("<li>", 1)[1]


@pytest.mark.django_db
def test_the_subject_page_does_not_flag_a_covered_transfer(officer_client):
    subject = SubjectFactory()
    consent_given(subject, cross_border_transfer=True, cross_border_countries=["US"])
    ProcessorFactory(
        legal_name="Mailer Inc.",
        country="US",
        stores_data_in_kazakhstan=False,
        purposes=[purpose("newsletter")],
    )

    content = _subject_page(officer_client, subject).content.decode()

    assert "Mailer Inc. (United States of America)" in content
    assert "cross-border transfer covered by consent" in content
    assert FLAG not in content


@pytest.mark.django_db
def test_subject_page_queries_do_not_grow_with_consents_and_recipients(officer_client):
    # Given purposes served by a processor abroad and one at home
    codes = ["contracts", "feedback", "newsletter", "direct_marketing", "product_research"]
    for code in codes:
        ProcessorFactory(country="DE", stores_data_in_kazakhstan=False, purposes=[purpose(code)])
        ProcessorFactory(purposes=[purpose(code)])
    few, many = SubjectFactory(), SubjectFactory()
    consent_given(few, codes[0])
    for code in codes:
        consent_given(many, code)

    # When each subject's page is rendered, then the number of queries is the same
    with CaptureQueriesContext(connection) as one:
        assert _subject_page(officer_client, few).content.decode().count(FLAG) == 1
    with CaptureQueriesContext(connection) as five:
        assert _subject_page(officer_client, many).content.decode().count(FLAG) == 5

    assert len(five) == len(one)


@pytest.mark.django_db
def test_adding_a_disclosure_in_the_admin_goes_through_the_service(officer_client, officer):
    # Given two subjects
    first, second = SubjectFactory.create_batch(2)
    when = timezone.localtime() - timedelta(days=1)

    # When the officer logs a disclosure to a state body
    response = officer_client.post(
        reverse("admin:processors_disclosure_add"),
        {
            "recipient": "Department of the Anti-Corruption Agency",
            "recipient_kind": RecipientKind.STATE_BODY,
            "disclosed_at_0": when.strftime("%Y-%m-%d"),
            "disclosed_at_1": when.strftime("%H:%M:%S"),
            "legal_basis": "Request No. 04-12/345 of 20.11.2026",
            "subjects": [first.pk, second.pk],
            "data_categories": ["name", "phone"],
            "note": "",
            "change_reason": "Request of the agency",
        },
    )

    # Then it is logged with its subjects, and the history names the officer and the reason
    assert response.status_code == 302, response.content.decode()
    disclosure = Disclosure.objects.get()
    assert set(disclosure.subjects.all()) == {first, second}
    assert disclosure.recorded_by == officer
    record = disclosure.history.get()
    assert (record.history_user, record.history_change_reason) == (officer, "Request of the agency")


def _court_disclosure_posted(client, subject, **fields):
    """The disclosure form posted for a court, yesterday, about one subject."""
    when = timezone.localtime() - timedelta(days=1)
    return client.post(
        reverse("admin:processors_disclosure_add"),
        {
            "recipient": "Court",
            "recipient_kind": RecipientKind.STATE_BODY,
            "disclosed_at_0": when.strftime("%Y-%m-%d"),
            "disclosed_at_1": when.strftime("%H:%M:%S"),
            "legal_basis": "Court request",
            "subjects": [subject.pk],
            **fields,
        },
    )


@pytest.mark.django_db
def test_a_disclosure_without_categories_is_refused_by_the_admin_form(officer_client):
    subject = SubjectFactory()
    response = _court_disclosure_posted(officer_client, subject)

    assert response.status_code == 200
    assert "data_categories" in response.context["adminform"].form.errors
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_logged_disclosure_keeps_what_was_disclosed_and_cannot_be_deleted(officer_client):
    # Given a logged disclosure
    disclosure = DisclosureFactory()
    url = reverse("admin:processors_disclosure_change", args=[disclosure.pk])

    # When the officer opens it
    form = officer_client.get(url).context["adminform"].form

    # Then only the documents and the legal basis can change, and it can't be deleted
    assert set(form.fields) == {"legal_basis", "document", "note", "change_reason"}
    delete_url = reverse("admin:processors_disclosure_delete", args=[disclosure.pk])
    assert officer_client.get(delete_url).status_code == 403


@pytest.mark.django_db
def test_disclosure_changelist_queries_do_not_grow_with_rows(officer_client):
    url = reverse("admin:processors_disclosure_changelist")
    DisclosureFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        assert officer_client.get(url).status_code == 200

    DisclosureFactory.create_batch(10, subjects=SubjectFactory.create_batch(3))
    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(url)

    assert len(many) == len(few)
    assert "Department of Justice of Almaty" in response.content.decode()


@pytest.mark.django_db
def test_a_disclosure_naming_an_erased_subject_is_a_form_error_not_a_500(officer_client, officer):
    from erasure.services import subject_erase

    subject = SubjectFactory()
    subject_erase(subject=subject, actor=officer, reason="The subject asked")
    response = _court_disclosure_posted(
        officer_client, subject, data_categories=["name"], change_reason="Court request"
    )

    assert response.status_code == 200
    assert f"#{subject.pk}" in str(response.context["adminform"].form.errors)
    assert not Disclosure.objects.exists()

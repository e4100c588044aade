"""The access report: read from the personal-data registry, in the subject's language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from common.personal_data import classified_models
from consents.models import ConsentMethod
from consents.services import consent_give
from requests.access_report import access_report
from requests.models import RequestAction
from tests.consents.factories import purpose
from tests.processors.factories import DisclosureFactory, ProcessorFactory
from tests.requests.factories import request_by_email
from tests.subjects.factories import ContactHandleFactory, SubjectFactory


@pytest.fixture
def subject(db):
    subject = SubjectFactory(
        email="asel.kim@example.kz", last_name="Ким", first_name="Асель", patronymic="Маратовна",
        preferred_language="kk", city="Алматы",
    )  # fmt: skip
    ContactHandleFactory(subject=subject, value="@asel")
    consent_give(
        subject=subject, purpose=purpose("newsletter"), method=ConsentMethod.SITE_CHECKBOX,
        actor=None, reason="test", evidence="Checkbox on /subscribe",
        cross_border_transfer=True, cross_border_countries=["DE"],
    )  # fmt: skip
    ProcessorFactory(
        legal_name="Mailer GmbH", country="DE", stores_data_in_kazakhstan=False,
        purposes=[purpose("newsletter")],
    )  # fmt: skip
    DisclosureFactory(subjects=[subject], recipient="Court of Almaty")
    request_by_email(
        body="Прошу предоставить информацию о моих данных.", sender="asel.kim@example.kz"
    )
    return subject


def test_the_report_holds_every_registered_model_with_rows_of_the_subject(subject):
    report = access_report(subject=subject, language="en")

    kinds = {record.kind.rsplit(" #", 1)[0] for record in report.personal_data}
    with translation.override("en"):
        expected = {
            str(c.model._meta.verbose_name).capitalize()
            for c in classified_models()
            if c.model._meta.label in {
                "subjects.Subject", "subjects.ContactHandle", "consents.Consent",
                "requests.SubjectRequest",
            }
        }  # fmt: skip
        internal = {str(RequestAction._meta.verbose_name).capitalize()}
    assert expected <= kinds
    assert not internal & kinds  # staff's notes on the handling are not the person's data
    assert "Search entry of a subject" not in kinds  # the search's copy of the subject's record
    values = {(f.field, f.value) for record in report.personal_data for f in record.fields}
    assert ("Last name", "Ким") in values
    assert ("Account", "@asel") in values
    categories = {f.category for record in report.personal_data for f in record.fields}
    assert "E-mail address" in categories


def test_the_report_has_consents_recipients_retention_and_requests(subject):
    report = access_report(subject=subject, language="en")

    [consent] = report.consents
    assert consent["policy_version"].startswith("Privacy policy 1")
    assert consent["cross_border_transfer"] is True
    assert consent["cross_border_countries"] == ["Germany"]
    assert consent["valid_until"] == "until the purpose of processing is achieved"
    [recipient] = report.recipients
    assert (recipient["processor"], recipient["country"], recipient["data_kept_abroad"]) == (
        "Mailer GmbH", "Germany", True,
    )  # fmt: skip
    assert recipient["transfer_covered_by_consent"] is True
    assert report.disclosures[0]["recipient"] == "Court of Almaty"
    assert report.retention
    assert report.retention[0]["purpose"] == purpose("newsletter").name_en
    assert [r["kind"] for r in report.requests] == ["Access to own data"]
    assert report.sources[0] == "Subscription form"
    assert "Checkbox on /subscribe" in report.sources[1]


def test_the_report_speaks_the_subjects_language(subject):
    report = access_report(subject=subject)

    assert report.language == "kk"
    assert report.consents[0]["purpose"] == purpose("newsletter").name_kk


def test_the_report_costs_the_same_queries_however_much_is_held(subject):
    with CaptureQueriesContext(connection) as few:
        access_report(subject=subject)
    for index in range(5):
        ContactHandleFactory(subject=subject, value=f"@more{index}")
        request_by_email(
            body=f"Прошу информацию о данных, письмо {index}.", sender="asel.kim@example.kz"
        )
    consent_give(
        subject=subject,
        purpose=purpose("feedback"),
        method=ConsentMethod.EMAIL,
        actor=None,
        reason="t",
    )

    with CaptureQueriesContext(connection) as many:
        access_report(subject=subject)

    assert len(many) == len(few)

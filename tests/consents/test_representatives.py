"""Legal representatives (Arts. 7, 8, 24): recorded on consents and requests, shown to the
subject; a consent for a subject under 18 without a representative is refused."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from common.workdays import ALMATY
from consents import services
from consents.receipts import consent_receipt
from consents.services import ConsentError
from requests.access_report import access_report
from requests.models import RequestKind
from requests.services import answers
from requests.services.intake import request_kind_confirm, request_update
from subjects.representation import adult_born_before, age_on, is_minor
from tests.consents.factories import consent_add_form, purpose
from tests.requests.factories import request_by_email
from tests.subjects.factories import SubjectFactory

MOTHER = {
    "representative_name": "Ким Динара Сериковна",
    "representative_relation": "parent",
    "representative_document": "Свидетельство о рождении № 0123456",
    "representative_document_date": date(2012, 5, 14),
}


def today() -> date:
    return timezone.localdate(timezone.now(), ALMATY)


def minor(**kwargs):
    return SubjectFactory(
        birth_date=today().replace(year=today().year - 14) - timedelta(days=1), **kwargs
    )


@pytest.mark.parametrize(
    ("born", "on", "under_18"),
    [
        (date(2008, 3, 1), date(2026, 2, 28), True),  # the day before the 18th birthday
        (date(2008, 3, 1), date(2026, 3, 1), False),  # the birthday itself
        (date(2008, 2, 29), date(2026, 2, 28), True),  # born on 29 February: 1 March
        (date(2008, 2, 29), date(2026, 3, 1), False),
        (None, date(2026, 3, 1), False),  # no date of birth: not flagged
    ],
)
def test_under_18_is_counted_from_the_date_of_birth(born, on, under_18):
    assert is_minor(born, on=on) is under_18
    if born:
        assert (age_on(born, on) < 18) is under_18
        assert (born > adult_born_before(on)) is under_18


@pytest.mark.django_db
def test_a_consent_for_a_minor_without_a_representative_is_refused(officer):
    subject = minor(last_name="Ким", first_name="Алия")

    with pytest.raises(ConsentError) as error:
        services.consent_give(
            subject=subject, purpose=purpose("newsletter"), method="written_agreement",
            actor=officer, reason="Form",
        )  # fmt: skip

    assert error.value.code == "minor_without_representative"
    assert "under 18" in str(error.value.message)
    assert not subject.consents.exists()


@pytest.mark.django_db
def test_a_consent_given_by_a_parent_is_recorded_with_the_representative(officer):
    subject = minor()

    consent = services.consent_give(
        subject=subject, purpose=purpose("newsletter"), method="written_agreement",
        actor=officer, reason="Signed by the mother", **MOTHER,
    )  # fmt: skip

    consent.refresh_from_db()
    assert consent.representative_name == "Ким Динара Сериковна"
    assert consent.representative_relation == "parent"
    assert consent.history.get().representative_document == MOTHER["representative_document"]


@pytest.mark.django_db
def test_a_representative_needs_a_capacity_a_document_and_its_date(officer):
    with pytest.raises(ValidationError) as error:
        services.consent_give(
            subject=minor(), purpose=purpose("newsletter"), method="written_agreement",
            actor=officer, reason="Form", representative_name="Ким Динара Сериковна",
        )  # fmt: skip

    assert set(error.value.message_dict) == {
        "representative_relation", "representative_document", "representative_document_date",
    }  # fmt: skip


@pytest.mark.django_db
def test_an_adult_consents_without_a_representative(officer):
    subject = SubjectFactory(birth_date=date(1990, 1, 1))

    services.consent_give(
        subject=subject, purpose=purpose("newsletter"), method="site_checkbox",
        actor=officer, reason="Form",
    )  # fmt: skip

    assert subject.consents.count() == 1


@pytest.mark.django_db
def test_the_admin_refuses_a_minors_consent_beside_the_representative_field(officer_client):
    subject = minor()

    response = officer_client.post(reverse("admin:consents_consent_add"), consent_add_form(subject))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "under 18" in errors["representative_name"][0]
    assert not subject.consents.exists()


@pytest.mark.django_db
def test_the_admin_records_a_consent_given_by_a_guardian(officer_client):
    subject = minor()
    guardian = {
        "representative_name": "Ахметов Ерлан", "representative_relation": "guardian",
        "representative_document": "Guardianship order No. 77",
        "representative_document_date": "2025-09-01",
    }  # fmt: skip

    response = officer_client.post(
        reverse("admin:consents_consent_add"), consent_add_form(subject, **guardian)
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert subject.consents.get().representative_relation == "guardian"


@pytest.mark.django_db
def test_the_receipt_and_the_access_report_show_who_gave_the_consent(officer):
    subject = minor(preferred_language="ru", email="aliya@example.kz")
    services.consent_give(
        subject=subject, purpose=purpose("newsletter"), method="written_agreement",
        actor=officer, reason="Signed by the mother", **MOTHER,
    )  # fmt: skip

    receipt = consent_receipt(subject=subject)
    with translation.override("ru"):
        html = render_to_string("consents/receipt_body.html", {"receipt": receipt})
        text = render_to_string("consents/receipt_email.txt", {"receipt": receipt})
    report = access_report(subject=subject, language="ru")

    shown = "Ким Динара Сериковна (Родитель; Свидетельство о рождении № 0123456 от 14.05.2012)"
    assert f"Дано законным представителем</dt><dd>{shown}" in html
    assert f"Дано законным представителем: {shown}" in text
    assert report.consents[0]["representative"] == shown


@pytest.mark.django_db
def test_a_request_sent_by_an_attorney_shows_them_in_the_answer_and_the_report(officer):
    subject = SubjectFactory(email="asel.kim@example.kz", preferred_language="ru")
    subject_request = request_by_email(body="Прошу предоставить информацию о моих данных.")
    request_update(
        subject_request=subject_request, actor=officer, reason="Power of attorney received",
        data={
            "representative_name": "Сейтказиев Нурлан", "representative_relation": "attorney",
            "representative_document": "Доверенность № 15",
            "representative_document_date": date(2026, 1, 10),
        },
    )  # fmt: skip
    request_kind_confirm(subject_request=subject_request, actor=officer, kind=RequestKind.ACCESS)
    subject_request.refresh_from_db()

    _subject, body = answers.answer_draft(subject_request)
    report = access_report(subject=subject, language="ru")

    shown = "Сейтказиев Нурлан (Поверенный (по доверенности); Доверенность № 15 от 10.01.2026)"
    assert body.startswith(f"Законному представителю: {shown}")
    assert report.requests[0]["representative"] == shown


@pytest.mark.django_db
def test_the_subject_list_flags_and_filters_minors(officer_client):
    child = minor(last_name="Младшая")
    SubjectFactory(last_name="Старший", birth_date=date(1980, 1, 1))

    response = officer_client.get(reverse("admin:subjects_subject_changelist") + "?minor=yes")

    assert response.status_code == 200
    names = [s.last_name for s in response.context["cl"].result_list]
    assert names == [child.last_name]


@pytest.mark.django_db
def test_the_request_page_refuses_a_representative_without_capacity_and_document(officer_client):
    subject_request = request_by_email(body="Прошу предоставить информацию о моих данных.")
    change = reverse("admin:requests_subjectrequest_change", args=[subject_request.pk])
    form = officer_client.get(change).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(representative_name="Сейтказиев Нурлан", change_reason="Phone call")
    for prefix in ("actions", "pauses", "public_removals", "attachments"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = officer_client.post(change, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {
        "representative_relation", "representative_document", "representative_document_date",
    }  # fmt: skip
    subject_request.refresh_from_db()
    assert subject_request.representative_name == ""

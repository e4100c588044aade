"""The breach register's services: history with user and reason, the flow, the affected list."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.personal_data import DataCategory
from consents.services import consent_give
from incidents import services
from incidents.models import AffectedSource, AffectedSubject, IncidentState, NoticeChannel
from incidents.selectors import affected_count, subjects_with_category_at_processor
from organisation.models import AUTHORITY_NAME_RU
from tests.consents.factories import purpose
from tests.incidents.factories import incident_open
from tests.organisation.factories import OperatorProfileFactory
from tests.processors.factories import ProcessorFactory
from tests.subjects.factories import SubjectFactory

pytestmark = pytest.mark.django_db


def test_opening_writes_history_with_the_user_and_reason_and_the_responsible_person(officer):
    OperatorProfileFactory(
        responsible_person="Әлиева Дана", responsible_person_email="dpo@example.org",
        responsible_person_phone="+7 727 000 00 00",
    )  # fmt: skip

    incident = incident_open(actor=officer)

    assert incident.state == IncidentState.OPEN
    assert incident.responsible_person == "Әлиева Дана"
    assert incident.responsible_person_contacts == "+7 727 000 00 00, dpo@example.org"
    row = incident.history.get()
    assert (row.history_user, row.history_change_reason) == (officer, "test data")


def test_the_operator_profile_names_the_authorised_body_by_default():
    profile = OperatorProfileFactory()

    assert profile.authority_name_ru == AUTHORITY_NAME_RU
    assert "Жасанды интеллект" in profile.authority_name_kk
    assert profile.authority_name_en.startswith("Ministry of Artificial Intelligence")


def test_a_breach_detected_in_the_future_is_refused(officer):
    with pytest.raises(ValidationError) as refused:
        incident_open(actor=officer, detected_at=timezone.now() + timedelta(hours=1))

    assert "detected_at" in refused.value.message_dict


def test_notify_then_close_records_when_how_and_the_reference(officer):
    incident = incident_open(actor=officer)
    sent = timezone.now() - timedelta(minutes=5)

    with pytest.raises(ValidationError):  # not before the notice
        services.incident_close(incident=incident, actor=officer, note="Done")
    services.incident_notify(
        incident=incident, actor=officer, notified_at=sent, via=NoticeChannel.PORTAL,
        reference="ЖТ-2026-0042",
    )  # fmt: skip
    with pytest.raises(ValidationError):  # only once
        services.incident_notify(
            incident=incident, actor=officer, notified_at=sent, via=NoticeChannel.EMAIL
        )
    services.incident_close(incident=incident, actor=officer, note="Access closed, keys rotated")
    incident.refresh_from_db()

    assert incident.state == IncidentState.CLOSED
    assert (incident.notified_at, incident.notified_via) == (sent, NoticeChannel.PORTAL)
    assert incident.authority_reference == "ЖТ-2026-0042"
    assert incident.notified_by == officer
    assert incident.closed_by == officer
    reasons = list(incident.history.values_list("history_change_reason", flat=True))
    assert f"Incident closed (incident #{incident.pk})" in reasons
    assert f"Authorised body notified (incident #{incident.pk})" in reasons
    with pytest.raises(ValidationError):  # a closed incident is not edited
        services.incident_measure_add(incident=incident, actor=officer, description="Late")


def test_a_notice_before_detection_is_refused(officer):
    incident = incident_open(actor=officer)

    with pytest.raises(ValidationError):
        services.incident_notify(
            incident=incident, actor=officer, via=NoticeChannel.PORTAL,
            notified_at=incident.detected_at - timedelta(minutes=1),
        )  # fmt: skip


def test_measures_are_a_dated_log_with_history(staff_user):
    incident = incident_open(actor=staff_user)

    measure = services.incident_measure_add(
        incident=incident, actor=staff_user, description="Public link to the backup removed"
    )

    assert list(incident.measures.all()) == [measure]
    assert measure.history.get().history_user == staff_user


def test_subjects_are_added_once_with_history_and_erased_ones_never(officer):
    incident = incident_open(actor=officer)
    first, second = SubjectFactory(), SubjectFactory()
    erased = SubjectFactory(state="erased", erased_at=timezone.now())

    added = services.incident_subjects_add(
        incident=incident, subject_ids=[first.pk, second.pk, erased.pk],
        source=AffectedSource.PICKED, actor=officer,
    )  # fmt: skip
    again = services.incident_subjects_add(
        incident=incident, subject_ids=[first.pk], source=AffectedSource.LIST, actor=officer
    )

    assert (added, again) == (2, 0)
    assert affected_count(incident) == 2
    history = AffectedSubject.history.filter(incident_id=incident.pk).order_by("subject_id")
    links = AffectedSubject.objects.filter(incident=incident).order_by("subject_id")
    assert [
        (h.id, h.subject_id, h.source, h.added_at, h.added_by_id, h.history_type) for h in history
    ] == [(a.pk, a.subject_id, "picked", a.added_at, officer.pk, "+") for a in links]
    assert {h.history_user_id for h in history} == {officer.pk}
    assert {h.history_date for h in history} == {links[0].added_at}
    assert {h.history_change_reason for h in history} == {
        f"Affected subjects added (incident #{incident.pk})"
    }


def test_a_list_of_emails_phones_and_iins_is_matched_and_its_values_not_kept():
    by_email = SubjectFactory(email="Asel.Kim@Example.kz")
    by_phone = SubjectFactory(phone="+77017654321")
    by_iin = SubjectFactory(iin="900101300017")
    SubjectFactory()  # not on the list

    match = services.subjects_match(
        "asel.kim@example.kz\n8 (701) 765-43-21; 900101300017\n"
        "nobody@example.com, +77470000000\nnot-a-value\n"
    )

    assert match.subject_ids == {by_email.pk, by_phone.pk, by_iin.pk}
    assert (match.values, match.not_found, match.not_understood) == (6, 2, 1)


def test_subjects_with_data_in_a_category_at_a_processor():
    newsletter = purpose("newsletter")
    mailer = ProcessorFactory(data_categories=["email", "phone"], purposes=[newsletter])
    with_phone = SubjectFactory(phone="+77011112233")
    without_phone = SubjectFactory(phone="")
    no_consent = SubjectFactory(phone="+77011112244")
    for subject in (with_phone, without_phone):
        consent_give(
            subject=subject, purpose=newsletter, method="subscription_form", actor=None,
            reason="test", evidence="Form",
        )  # fmt: skip

    phones = subjects_with_category_at_processor(category=DataCategory.PHONE, processor=mailer)
    names = subjects_with_category_at_processor(category=DataCategory.NAME, processor=mailer)

    assert set(phones) == {with_phone}
    assert no_consent not in set(phones)
    assert list(names) == []  # the processor does not receive names


def test_subjects_with_handles_count_for_the_online_category():
    from tests.subjects.factories import ContactHandleFactory

    contracts = purpose("newsletter")
    crm = ProcessorFactory(data_categories=["online"], purposes=[contracts])
    handle = ContactHandleFactory()
    other = SubjectFactory()
    for subject in (handle.subject, other):
        consent_give(
            subject=subject, purpose=contracts, method="subscription_form", actor=None,
            reason="test", evidence="Form",
        )  # fmt: skip

    found = subjects_with_category_at_processor(category=DataCategory.ONLINE, processor=crm)

    assert set(found) == {handle.subject}

"""The breach register's pages: who may open each, what each step does, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import AffectedSubject, Incident, IncidentState
from tests.incidents.factories import incident_open
from tests.organisation.factories import OperatorProfileFactory
from tests.subjects.factories import SubjectFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"admin:incidents_{name}", args=args)


@pytest.fixture
def incident(officer):
    OperatorProfileFactory()
    return incident_open(actor=officer, subjects=SubjectFactory.create_batch(2))


# (page, officer, staff, auditor): the HTTP status each role gets.
MATRIX = [
    ("incident_changelist", 200, 200, 200),
    ("incident_add", 200, 200, 403),
    ("incident_change", 200, 200, 200),
    ("incident_history", 200, 200, 200),
    ("incident_measure", 200, 200, 403),
    ("incident_affected", 200, 403, 403),
    ("incident_notify", 200, 403, 403),
    ("incident_close", 302, 403, 403),  # the officer is sent back: notify first
    ("incident_notice_kk", 200, 200, 200),
    ("incident_notice_ru", 200, 200, 200),
    ("incident_list_csv", 200, 403, 200),
    ("incident_list_xlsx", 200, 403, 200),
    ("affectedsubject_changelist", 200, 403, 200),
    ("notificationrule_changelist", 200, 200, 200),
]


def page_url(page: str, incident: Incident) -> str:
    if page in ("incident_changelist", "incident_add", "affectedsubject_changelist",
                "notificationrule_changelist"):  # fmt: skip
        return url(page)
    if page.startswith("incident_notice_"):
        return url("incident_notice", incident.pk, page.rsplit("_", 1)[1])
    if page.startswith("incident_list_"):
        return url("incident_list", incident.pk, page.rsplit("_", 1)[1]) + "?language=ru"
    return url(page, incident.pk)


@pytest.mark.parametrize(("page", "as_officer", "as_staff", "as_auditor"), MATRIX)
def test_role_matrix(
    client, incident, officer, staff_user, auditor, no_role_user, page, as_officer, as_staff,
    as_auditor,
):  # fmt: skip
    target = page_url(page, incident)
    for user, expected in (
        (officer, as_officer), (staff_user, as_staff), (auditor, as_auditor),
        (no_role_user, 403),
    ):  # fmt: skip
        client.force_login(user)
        assert client.get(target).status_code == expected, (user.username, target)


def test_staff_can_open_an_incident_and_add_a_measure_but_not_edit_it(client, staff_user):
    OperatorProfileFactory()
    client.force_login(staff_user)
    detected = timezone.localtime().replace(second=0, microsecond=0) - timezone.timedelta(hours=1)

    response = client.post(url("incident_add"), {
        "kind": "loss", "description": "A laptop with a mailing list was lost",
        "detected_at_0": detected.strftime("%Y-%m-%d"), "detected_at_1": detected.strftime("%H:%M"),
        "detected_by": "Office manager", "data_categories": ["name", "email"],
        "change_reason": "Reported by phone",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get()
    assert incident.opened_by == staff_user
    assert incident.due_date is not None
    assert incident.history.get().history_change_reason == "Reported by phone"

    response = client.post(url("incident_measure", incident.pk), {
        "taken_at": detected.strftime("%Y-%m-%dT%H:%M"), "description": "Passwords changed",
    })  # fmt: skip
    assert response.status_code == 302
    assert incident.measures.get().recorded_by == staff_user

    response = client.post(url("incident_change", incident.pk), {
        "kind": "disclosure", "description": "x", "change_reason": "x",
    })  # fmt: skip
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.kind == "loss"


def test_officer_adds_subjects_from_a_pasted_list_and_records_the_notice(client, officer, incident):
    listed = SubjectFactory(email="listed@example.kz")
    client.force_login(officer)

    response = client.post(url("incident_affected", incident.pk), {
        "list_text": "LISTED@example.kz\nstranger@example.kz",
    })  # fmt: skip
    assert response.status_code == 302
    assert AffectedSubject.objects.filter(incident=incident, subject=listed).exists()

    sent = timezone.localtime().replace(second=0, microsecond=0)
    response = client.post(url("incident_notify", incident.pk), {
        "notified_at": sent.strftime("%Y-%m-%dT%H:%M"), "via": "portal", "reference": "№ 17",
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post(url("incident_close", incident.pk), {"note": "Resolved"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.state == IncidentState.CLOSED
    assert incident.authority_reference == "№ 17"


def test_viewing_the_affected_list_is_logged(client, auditor, incident, security_log):
    client.force_login(auditor)

    client.get(url("affectedsubject_changelist") + f"?incident__id__exact={incident.pk}")
    response = client.get(url("incident_list", incident.pk, "csv") + "?language=kk")
    b"".join(response.streaming_content)

    viewed = security_log.events("affected_list_view")
    exported = security_log.events("affected_list_export")
    assert viewed[0]["actor"] == "auditor"
    assert viewed[0]["incident_id"] == str(incident.pk)
    assert exported[0]["rows"] == 2
    assert exported[0]["format"] == "csv"


def _count(client, target: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200, target
    return len(queries)


def test_changelist_and_change_page_queries_do_not_grow(client, officer, incident):
    client.force_login(officer)
    for _ in range(2):
        services_measure(incident, officer)
    for page in (url("incident_change", incident.pk), reverse("admin:index")):
        client.get(page)  # the first load fills the caches (calendar, the desk's figures)
    few_list = _count(client, url("incident_changelist"))
    few_page = _count(client, url("incident_change", incident.pk))
    few_affected = _count(client, url("affectedsubject_changelist"))
    few_index = _count(client, reverse("admin:index"))

    for _ in range(5):
        incident_open(actor=officer, subjects=SubjectFactory.create_batch(3))
        services_measure(incident, officer)

    assert _count(client, url("incident_changelist")) == few_list
    assert _count(client, url("incident_change", incident.pk)) == few_page
    assert _count(client, url("affectedsubject_changelist")) == few_affected
    assert _count(client, reverse("admin:index")) == few_index


def services_measure(incident, actor):
    from incidents.services import incident_measure_add

    incident_measure_add(incident=incident, actor=actor, description="Checked the logs")


def test_the_dashboard_shows_open_incidents_overdue_in_red(client, officer):
    OperatorProfileFactory()
    late = incident_open(actor=officer, detected_at=timezone.now() - timezone.timedelta(days=10))
    client.force_login(officer)

    page = client.get(reverse("admin:index")).content.decode()

    assert 'id="incident-deadlines"' in page
    assert f"#{late.pk}" in page
    assert "var(--error-fg)" in page.split('id="incident-deadlines"')[1].split("</div>")[0]


def test_officer_adds_subjects_picked_uploaded_and_by_category_at_a_processor(
    client, officer, incident
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consents.services import consent_give
    from incidents.models import AffectedSource
    from tests.consents.factories import purpose
    from tests.processors.factories import ProcessorFactory

    picked = SubjectFactory()
    uploaded = SubjectFactory(phone="+77017770000")
    newsletter = purpose("newsletter")
    mailer = ProcessorFactory(data_categories=["email"], purposes=[newsletter])
    subscriber = SubjectFactory()
    consent_give(
        subject=subscriber, purpose=newsletter, method="subscription_form", actor=None,
        reason="test", evidence="Form",
    )  # fmt: skip
    client.force_login(officer)

    response = client.post(url("incident_affected", incident.pk), {
        "subjects": [picked.pk],
        "list_file": SimpleUploadedFile("list.csv", "\ufeffphone\n8 701 777 00 00\n".encode()),
        "category": "email", "processor": mailer.pk,
    })  # fmt: skip

    assert response.status_code == 302
    sources = dict(
        AffectedSubject.objects.filter(incident=incident).values_list("subject_id", "source")
    )
    assert sources[picked.pk] == AffectedSource.PICKED
    assert sources[uploaded.pk] == AffectedSource.LIST
    assert sources[subscriber.pk] == AffectedSource.SELECTOR


def test_a_category_without_a_processor_is_refused(client, officer, incident):
    client.force_login(officer)

    response = client.post(url("incident_affected", incident.pk), {"category": "email"})

    assert response.status_code == 200
    assert "errornote" in response.content.decode()

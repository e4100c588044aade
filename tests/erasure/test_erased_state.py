"""After an erasure nothing is written to the person, through any service or admin page; the
admin says when and by whom they were erased; nothing about a person is ever plainly deleted."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from consents import services as consent_services
from consents.models import Consent
from erasure.services import subject_erase
from subjects import agreements
from subjects import services as subject_services
from subjects.models import Subject
from subjects.services import SubjectErased, subject_ensure_writable, subject_is_erased
from tests.consents.factories import ConsentFactory, purpose
from tests.requests.factories import SubjectRequestFactory
from tests.subjects.factories import AgreementDataFactory, ContactHandleFactory, SubjectFactory


@pytest.fixture
def erased(officer, media):
    subject = SubjectFactory(last_name="Беков")
    handle = ContactHandleFactory(subject=subject, value="@bekov")
    agreement = AgreementDataFactory(subject=subject)
    consent = ConsentFactory(subject=subject)
    subject_request = SubjectRequestFactory(subject=subject)
    subject_erase(
        subject=subject, actor=officer, reason="Asked by letter", subject_request=subject_request
    )
    subject.refresh_from_db()
    return {
        "subject": subject,
        "handle": handle,
        "agreement": agreement,
        "consent": consent,
        "request": subject_request,
    }


@pytest.mark.django_db
def test_every_service_refuses_to_write_to_an_erased_subject(erased, officer):
    subject = erased["subject"]
    writes = {
        "update": lambda: subject_services.subject_update(
            subject=subject, actor=officer, reason="x", data={"last_name": "Беков"}
        ),
        "handle add": lambda: subject_services.handle_add(
            subject=subject, actor=officer, reason="x", kind="telegram", value="@again"
        ),
        "handle remove": lambda: subject_services.handle_remove(
            handle=erased["handle"], actor=officer, reason="x"
        ),
        "block": lambda: subject_services.subject_block(subject=subject, actor=officer, reason="x"),
        "agreement": lambda: agreements.agreement_data_record(
            subject=subject, actor=officer, reason="x", data={"agreement_number": "1"}
        ),
        "agreement update": lambda: agreements.agreement_data_update(
            agreement=erased["agreement"], actor=officer, reason="x", data={"bank_name": "Банк"}
        ),
        "consent": lambda: consent_services.consent_give(
            subject=subject, purpose=purpose("feedback"), method="email", actor=officer,
            reason="x",
        ),
        "legal hold": lambda: consent_services.consent_legal_hold_set(
            consent=erased["consent"], legal_hold=True, legal_hold_reason="Contract",
            actor=officer, reason="x",
        ),
    }  # fmt: skip
    history_before = subject.history.count()

    refused = {}
    for name, write in writes.items():
        with pytest.raises(SubjectErased) as error:
            write()
        refused[name] = error.value.code

    assert set(refused.values()) == {"erased"}
    subject.refresh_from_db()
    assert (subject.last_name, subject.handles.get().value) == ("", "")
    assert subject.history.count() == history_before
    assert subject.consents.filter(state="given").count() == 0


@pytest.mark.django_db
def test_the_precondition_reads_the_state_under_the_lock_not_from_the_callers_copy(erased):
    stale = type(erased["subject"]).objects.get(pk=erased["subject"].pk)
    stale.state = "active"  # a copy loaded before the erasure

    with pytest.raises(SubjectErased):
        subject_ensure_writable(subject=stale)

    assert subject_is_erased(stale)


@pytest.mark.django_db
def test_consents_end_by_erasure_with_the_time_and_the_request(erased):
    consent = Consent.objects.get(pk=erased["consent"].pk)
    subject = erased["subject"]

    assert (consent.state, consent.withdrawal_channel) == ("withdrawn", "erasure")
    assert consent.get_withdrawal_channel_display() == "Ended by erasure"
    assert consent.withdrawn_at == subject.erased_at
    assert f"request #{erased['request'].pk}" in consent.history.latest().history_change_reason


@pytest.mark.django_db
def test_the_erased_subjects_page_is_read_only_with_a_banner(officer_client, erased):
    subject = erased["subject"]
    url = reverse("admin:subjects_subject_change", args=[subject.pk])

    page = officer_client.get(url, {"edit": "1"})  # the form, asked for by its address
    read = officer_client.get(url)
    posted = officer_client.post(url, {"last_name": "Беков", "change_reason": "typo"})

    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert not read.context["subject_edit_url"]  # no Edit button on the page read
    assert 'name="handles-0-value"' not in page.text  # the inline row is read-only too
    assert 'name="handles-__prefix__-value"' not in page.text  # and offers no new row
    note = page.context["subject_notes"]
    assert len(note) == 1
    assert "by officer" in note[0]
    assert f"(request #{erased['request'].pk})" in note[0]
    assert "erasure-note" in page.text
    assert posted.status_code == 403
    subject.refresh_from_db()
    assert subject.last_name == ""


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", ["consent", "agreementdata"])
def test_pages_of_rows_attached_to_an_erased_subject_are_read_only(
    officer_client, erased, model_name
):
    obj = erased["consent" if model_name == "consent" else "agreement"]
    app = "consents" if model_name == "consent" else "subjects"
    url = reverse(f"admin:{app}_{model_name}_change", args=[obj.pk])

    page = officer_client.get(url)

    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert officer_client.post(url, {"change_reason": "x"}).status_code == 403


@pytest.mark.django_db
def test_the_page_of_a_live_subject_has_no_banner(officer_client, django_assert_max_num_queries):
    subject = SubjectFactory()

    with django_assert_max_num_queries(40):
        page = officer_client.get(reverse("admin:subjects_subject_change", args=[subject.pk]))

    assert page.context["has_change_permission"]
    assert page.context["subject_notes"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("app", "model", "factory"),
    [
        ("subjects", "subject", SubjectFactory),
        ("subjects", "agreementdata", AgreementDataFactory),
        ("consents", "consent", ConsentFactory),
    ],
)
def test_nothing_about_a_person_is_deleted_in_the_admin(admin_client, app, model, factory):
    obj = factory()
    changelist = reverse(f"admin:{app}_{model}_changelist")
    delete_page = admin_client.get(reverse(f"admin:{app}_{model}_delete", args=[obj.pk]))

    assert delete_page.status_code == 403
    assert 'value="delete_selected"' not in admin_client.get(changelist).text
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk]})
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_the_admin_log_names_people_by_kind_and_id_only(officer_client):
    from tests.subjects.test_admin import ADD_URL, CHANGE_INLINES, _form

    officer_client.post(
        ADD_URL,
        _form(
            last_name="Жақсыбеков",
            email="zhaksybekov@example.net",
            **{"handles-TOTAL_FORMS": "1", "handles-0-kind": "telegram", "handles-0-value": "@zh"},
        ),
    )
    subject = Subject.objects.get(email="zhaksybekov@example.net")
    handle = subject.handles.get()
    officer_client.post(
        reverse("admin:subjects_subject_change", args=[subject.pk]),
        _form(
            CHANGE_INLINES,
            last_name="Жақсыбекова",
            email=subject.email,
            change_reason="Letter",
            **{
                "handles-TOTAL_FORMS": "1",
                "handles-INITIAL_FORMS": "1",
                "handles-0-id": str(handle.pk),
                "handles-0-subject": str(subject.pk),
                "handles-0-kind": "telegram",
                "handles-0-value": "@zh2",
            },
        ),
    )

    entries = list(LogEntry.objects.order_by("pk"))
    assert [e.object_repr for e in entries] == [f"Data subject #{subject.pk}"] * 2
    logged = " ".join(e.object_repr + e.change_message for e in entries)
    for value in ("Жақсыбек", "zhaksybekov", "@zh"):
        assert value not in logged
    changed = json.loads(entries[1].change_message)
    assert {"changed": {"name": "contact handle", "object": f"Contact handle #{handle.pk}",
                        "fields": ["Account"]}} in changed  # fmt: skip


@pytest.mark.django_db
def test_the_confirmation_page_offers_only_the_subjects_open_requests(officer_client, media):
    subject, other = SubjectFactory(), SubjectFactory()
    own = SubjectRequestFactory(subject=subject)
    SubjectRequestFactory(subject=subject, status="completed")
    SubjectRequestFactory(subject=other)
    url = reverse("admin:subjects_subject_changelist")

    page = officer_client.post(url, {"action": "erase_subjects", "_selected_action": [subject.pk]})

    offered = list(page.context["form"].fields["request"].queryset)
    assert offered == [own]


@pytest.mark.django_db
def test_every_table_of_the_database_is_a_project_model_or_declared():
    from common.outside_tables import undeclared_tables

    assert undeclared_tables() == []


@pytest.mark.django_db
def test_a_table_nobody_declared_is_noticed():
    from django.db import connection

    from common.outside_tables import undeclared_tables

    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA side; CREATE TABLE side.copies (value text)")

    assert undeclared_tables() == ["side.copies"]


@pytest.mark.django_db
def test_erasure_renames_admin_log_rows_written_before_the_log_was_private(officer, media):
    from django.contrib.admin.models import CHANGE
    from django.contrib.contenttypes.models import ContentType

    subject = SubjectFactory(last_name="Беков")
    handle = ContactHandleFactory(subject=subject, value="@bekov")
    old = [
        LogEntry.objects.create(
            user=officer, content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk), object_repr=str(obj), action_flag=CHANGE,
            change_message=message,
        )
        for obj, message in (
            (subject, json.dumps([{"added": {"name": "contact handle", "object": "@bekov"}}])),
            (handle, "Changed value of @bekov."),
        )
    ]  # fmt: skip

    subject_erase(subject=subject, actor=officer, reason="Asked")

    renamed = [LogEntry.objects.get(pk=entry.pk) for entry in old]
    assert [(e.object_repr, e.user) for e in renamed] == [
        (f"Data subject #{subject.pk}", officer), (f"Contact handle #{handle.pk}", officer),
    ]  # fmt: skip
    assert json.loads(renamed[0].change_message) == [
        {"added": {"name": "contact handle", "object": ""}}
    ]
    assert renamed[1].change_message == ""


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["consents.consent", "subjects.agreementdata"])
def test_a_new_row_cannot_be_attached_to_an_erased_subject_in_the_admin(
    officer_client, erased, model
):
    app, name = model.split(".")
    page = officer_client.post(
        reverse(f"admin:{app}_{name}_add"), {"subject": erased["subject"].pk}
    )

    assert page.status_code == 200
    assert "subject" in page.context["adminform"].form.errors


@pytest.mark.django_db
def test_a_handle_removed_in_the_admin_is_forgotten_in_its_history_too(officer_client):
    from subjects.models import ContactHandle
    from tests.subjects.test_admin import CHANGE_INLINES, _form

    subject = SubjectFactory()
    handle = ContactHandleFactory(subject=subject, value="@old_account")

    response = officer_client.post(
        reverse("admin:subjects_subject_change", args=[subject.pk]),
        _form(
            CHANGE_INLINES, email=subject.email, last_name=subject.last_name,
            change_reason="The subject asked",
            **{"handles-TOTAL_FORMS": "1", "handles-INITIAL_FORMS": "1",
               "handles-0-id": str(handle.pk), "handles-0-subject": str(subject.pk),
               "handles-0-kind": "telegram", "handles-0-value": "@old_account",
               "handles-0-DELETE": "on"},
        ),
    )  # fmt: skip

    assert response.status_code == 302
    trail = ContactHandle.history.filter(id=handle.pk).order_by("history_id")
    assert [(h.history_type, h.value) for h in trail] == [("+", ""), ("-", "")]
    assert trail.last().history_change_reason == "The subject asked"


def test_staff_cannot_pick_ended_by_erasure_as_how_a_withdrawal_arrived():
    from consents.forms import RefuseWithdrawalForm, WithdrawForm

    for form in (WithdrawForm(), RefuseWithdrawalForm()):
        assert "erasure" not in dict(form.fields["channel"].choices)

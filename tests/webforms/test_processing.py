"""From a stored submission to a subject with consents and evidence, through the services."""

import pytest
from django.urls import reverse

from common.contact_digests import stored_contact_digest
from common.history import save_with_history
from consents.models import ConsentState, SuppressionEntry, SuppressionReason, WithdrawalChannel
from consents.services import consent_give, consent_withdraw
from consents.suppression import is_suppressed, suppression_add
from erasure.services import subject_erase
from subjects.models import Subject
from subjects.services import subject_block
from tests.consents.factories import purpose
from tests.subjects.factories import SubjectFactory
from webforms.models import SubmissionState, TildaSubmission
from webforms.services import HoldReason, submission_process

from .conftest import body, make_form, post, process_again


@pytest.mark.django_db
def test_a_kazakh_registration_makes_a_subject_with_two_consents_and_their_evidence(
    tilda, volunteer_form, consent_text
):
    post(tilda, body("registration_kk.txt"))

    submission = TildaSubmission.objects.get()
    subject = Subject.objects.get()
    assert submission.subject == subject
    assert (subject.last_name, subject.first_name, subject.patronymic) == (
        "Нұрланова", "Айгерім", "",
    )  # fmt: skip
    assert (subject.email, subject.phone) == ("aigerim.nurlanova@example.com", "+77010000001")
    assert (subject.email_digest, subject.phone_digest) == (
        stored_contact_digest("email", subject.email),
        stored_contact_digest("phone", subject.phone),
    )
    assert (subject.source, subject.preferred_language) == ("tilda_form", "kk")
    assert "form612345678" in subject.source_detail
    consents = {c.purpose.code: c for c in subject.consents.select_related("purpose")}
    assert set(consents) == {"feedback", "newsletter"}
    newsletter = consents["newsletter"]
    assert newsletter.method == "tilda_form"
    assert newsletter.policy_version == consent_text
    assert newsletter.given_at == submission.received_at
    payload = newsletter.evidence_payload
    assert payload["formid"] == "form612345678"
    assert payload["formname"] == "Еріктілерді тіркеу"
    assert payload["tranid"] == "4123456:7654321098"
    assert payload["checkbox"] == {"field": "newsletter", "value": "yes"}
    assert payload["utm"] == {"utm_source": "instagram", "utm_campaign": "volunteers_2025"}
    assert payload["consent_text"] == {"id": consent_text.pk, "version": "form-2025-1"}
    assert payload["received_at"] == submission.received_at.isoformat()
    assert "COOKIES" not in str(payload)
    assert "form-2025-1" in newsletter.evidence
    reason = subject.history.get().history_change_reason
    assert "form612345678" in reason
    assert f"#{submission.pk}" in reason
    assert {h.history_change_reason for h in newsletter.history.all()} == {reason}


@pytest.mark.django_db
def test_a_russian_registration_without_the_second_tick_gets_one_consent(tilda, volunteer_form):
    post(tilda, body("registration_ru.txt"))

    subject = Subject.objects.get()
    assert (subject.last_name, subject.first_name, subject.patronymic) == (
        "Петров", "Иван", "Сергеевич",
    )  # fmt: skip
    assert subject.phone == "+77025551234"
    assert list(subject.consents.values_list("purpose__code", flat=True)) == ["feedback"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "phones",
    [["+7 (701) 000-00-01", "87010000001", "8 (701) 000 00 01", "7010000001", "+7-701-000-00-01"]],
)
def test_one_phone_written_five_ways_is_one_person(tilda, volunteer_form, phones):
    for n, phone in enumerate(phones):
        post(tilda, _form_body(Name="Дана Сәрсенова", Phone=phone, Checkbox="yes", tranid=f"9:{n}"))

    assert TildaSubmission.objects.filter(state=SubmissionState.PROCESSED).count() == 5
    subject = Subject.objects.get()
    assert subject.phone == "+77010000001"
    assert subject.consents.count() == 1  # the same tick again is not a second consent


def _form_body(**fields: str) -> bytes:
    from urllib.parse import urlencode

    defaults = {"formid": "form612345678", "formname": "Тіркеу"}
    return urlencode({**defaults, **fields}).encode()


@pytest.mark.django_db
def test_an_unticked_form_records_the_person_but_no_consent(tilda, volunteer_form):
    post(tilda, _form_body(Name="Ерлан Әбенов", Email="erlan@example.kz", tranid="1:1"))

    subject = Subject.objects.get()
    assert subject.consents.count() == 0
    assert TildaSubmission.objects.get().state == SubmissionState.PROCESSED


@pytest.mark.django_db
def test_filled_fields_are_not_overwritten_but_proposed_and_staff_can_accept(
    tilda, volunteer_form, officer_client, officer
):
    subject = SubjectFactory(
        email="aigerim.nurlanova@example.com", last_name="Нұрланова", first_name="Айгерим",
        patronymic="", phone="", city="",
    )  # fmt: skip

    post(tilda, body("registration_kk.txt"))

    subject.refresh_from_db()
    submission = TildaSubmission.objects.get()
    assert subject.first_name == "Айгерим"  # kept
    assert subject.phone == "+77010000001"  # was empty: filled
    assert submission.proposed_changes == {"first_name": "Айгерім"}
    assert subject.history.latest().history_change_reason.startswith("Tilda form")

    response = officer_client.post(
        reverse("admin:webforms_tildasubmission_changelist"),
        {"action": "accept_proposed_changes", "_selected_action": [submission.pk]},
    )

    assert response.status_code == 302
    subject.refresh_from_db()
    submission.refresh_from_db()
    assert subject.first_name == "Айгерім"
    assert submission.proposed_changes == {}
    latest = subject.history.latest()
    assert (latest.history_user, f"#{submission.pk}" in latest.history_change_reason) == (
        officer, True,
    )  # fmt: skip


@pytest.mark.django_db
def test_an_unknown_form_waits_for_its_mapping_and_is_applied_once_mapped(
    tilda, consent_text, officer_client, django_capture_on_commit_callbacks
):
    post(tilda, body("registration_kk.txt"))
    submission = TildaSubmission.objects.get()
    assert submission.state == SubmissionState.NEEDS_MAPPING
    assert not Subject.objects.exists()
    index = officer_client.get(reverse("admin:index"))
    assert "Forms that need a mapping" in index.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("admin:webforms_tildaform_add"),
            {
                "formid": "form612345678", "name_kk": "Тіркеу", "name_ru": "Регистрация",
                "name_en": "Registration", "language": "ru", "name_field": "Name",
                "email_field": "Email", "phone_field": "Phone", "city_field": "",
                "organisation_field": "", "policy_version": consent_text.pk,
                "boxes-TOTAL_FORMS": "1", "boxes-INITIAL_FORMS": "0",
                "boxes-0-field": "Checkbox", "boxes-0-purpose": purpose("feedback").pk,
            },
        )  # fmt: skip

    assert response.status_code == 302, response.context["errors"]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PROCESSED
    subject = Subject.objects.get()
    assert subject.preferred_language == "ru"
    assert list(subject.consents.values_list("purpose__code", flat=True)) == ["feedback"]


@pytest.mark.django_db
def test_a_suppressed_person_who_ticks_again_gives_a_new_consent_and_leaves_the_list(
    tilda, volunteer_form
):
    subject = SubjectFactory(email="aigerim.nurlanova@example.com", phone="")
    consent_give(
        subject=subject, purpose=purpose("newsletter"), method="subscription_form", actor=None,
        reason="Subscribed",
    )  # fmt: skip
    consent_withdraw(
        subject=subject, purposes=[purpose("newsletter")],
        channel=WithdrawalChannel.UNSUBSCRIBE_LINK, actor=None, reason="Unsubscribe link",
    )  # fmt: skip
    assert is_suppressed(email=subject.email)

    post(tilda, body("registration_kk.txt"))

    submission = TildaSubmission.objects.get()
    assert submission.state == SubmissionState.PROCESSED
    newsletter = subject.consents.filter(purpose__code="newsletter").order_by("pk")
    assert [c.state for c in newsletter] == [ConsentState.WITHDRAWN, ConsentState.GIVEN]
    renewed = newsletter.last()
    assert renewed.evidence_payload["renews_after_suppression"] == ["Unsubscribed"]
    assert "left the mailing list" in renewed.evidence
    assert not is_suppressed(email=subject.email)
    ended = SuppressionEntry.history.filter(history_type="-").get()
    assert f"#{submission.pk}" in ended.history_change_reason


@pytest.mark.django_db
def test_an_erased_persons_submission_is_held_and_nothing_is_applied(
    tilda, volunteer_form, officer, settings, tmp_path
):
    settings.ERASURE_JOURNAL_PATH = tmp_path / "journal.jsonl"
    subject = SubjectFactory(email="aigerim.nurlanova@example.com", phone="+77010000001")
    subject_erase(subject=subject, actor=officer, reason="Request")

    post(tilda, body("registration_kk.txt"))

    submission = TildaSubmission.objects.get()
    assert (submission.state, submission.state_reason) == (
        SubmissionState.HELD, HoldReason.ERASED,
    )  # fmt: skip
    assert Subject.objects.count() == 1
    assert not subject.consents.exists()


@pytest.mark.django_db
def test_a_blocked_subjects_submission_is_held(tilda, volunteer_form):
    subject = SubjectFactory(email="aigerim.nurlanova@example.com")
    subject_block(subject=subject, actor=None, reason="Request")

    post(tilda, body("registration_kk.txt"))

    submission = TildaSubmission.objects.get()
    assert (submission.state, submission.state_reason, submission.subject) == (
        SubmissionState.HELD, HoldReason.BLOCKED, subject,
    )  # fmt: skip
    assert not subject.consents.exists()


@pytest.mark.django_db
def test_a_ticked_box_without_a_consent_text_version_is_held(tilda):
    make_form("form612345678", None, Checkbox="feedback")

    post(tilda, body("registration_kk.txt"))

    assert TildaSubmission.objects.get().state_reason == HoldReason.NO_CONSENT_TEXT
    assert not Subject.objects.exists()


@pytest.mark.django_db
def test_a_failure_is_kept_with_its_reason_and_staff_can_run_it_again(
    tilda, volunteer_form, officer_client
):
    post(tilda, _form_body(Name="Әлия", Email="not an address", Phone="+77051112233", tranid="1:2"))
    submission = TildaSubmission.objects.get()
    assert submission.state == SubmissionState.FAILED
    assert submission.state_reason
    assert not Subject.objects.exists()
    volunteer_form.email_field = ""  # the privacy officer corrects the mapping
    save_with_history(volunteer_form, actor=None, reason="E-mail field is free text")

    response = process_again(officer_client, submission)

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PROCESSED
    assert Subject.objects.get().phone == "+77051112233"


@pytest.mark.django_db
def test_processing_twice_changes_nothing(tilda, volunteer_form):
    post(tilda, body("registration_kk.txt"))
    submission = TildaSubmission.objects.get()
    history = submission.history.count()

    submission_process(submission=submission)

    assert submission.history.count() == history
    assert Subject.objects.get().consents.count() == 2


@pytest.mark.django_db
def test_erasure_blanks_the_submission_and_its_history(tilda, volunteer_form, officer, settings,
                                                       tmp_path):  # fmt: skip
    settings.ERASURE_JOURNAL_PATH = tmp_path / "journal.jsonl"
    post(tilda, body("registration_kk.txt"))
    submission = TildaSubmission.objects.get()

    subject_erase(subject=submission.subject, actor=officer, reason="Request")

    submission.refresh_from_db()
    assert submission.body is None
    assert all(h.body is None for h in submission.history.all())
    assert (submission.formid, submission.tranid) == ("form612345678", "4123456:7654321098")


@pytest.mark.django_db
def test_a_known_persons_submission_to_an_unmapped_form_is_erased_with_them(
    tilda, officer, settings, tmp_path
):
    settings.ERASURE_JOURNAL_PATH = tmp_path / "journal.jsonl"
    subject = SubjectFactory(email="aigerim.nurlanova@example.com")
    post(tilda, body("registration_kk.txt"))
    submission = TildaSubmission.objects.get()
    assert (submission.state, submission.subject) == (SubmissionState.NEEDS_MAPPING, subject)
    assert not subject.consents.exists()  # linked, nothing applied

    subject_erase(subject=subject, actor=officer, reason="Request")

    submission.refresh_from_db()
    assert submission.body is None


@pytest.mark.django_db
def test_the_access_report_shows_the_submission_as_the_person_wrote_it(tilda, volunteer_form):
    from requests.access_report import access_report

    post(tilda, body("registration_kk.txt"))
    subject = Subject.objects.get()

    report = access_report(subject=subject, language="en")

    [record] = [r for r in report.personal_data if r.kind.startswith("Tilda submission")]
    shown = {field.field: field.value for field in record.fields}
    assert "Name=Айгерім Нұрланова&Email=Aigerim.Nurlanova@Example.com" in shown["Body as received"]


@pytest.mark.django_db
def test_a_person_only_on_the_suppression_list_who_fills_the_form_is_created_anew(
    tilda, volunteer_form
):
    # An old list's unsubscribe left the address suppressed, with no subject in the registers.
    suppression_add(
        email="aigerim.nurlanova@example.com", reason=SuppressionReason.UNSUBSCRIBED, actor=None
    )

    post(tilda, body("registration_kk.txt"))

    submission = TildaSubmission.objects.get()
    assert submission.state == SubmissionState.PROCESSED
    subject = Subject.objects.get(email="aigerim.nurlanova@example.com")
    created = subject.history.earliest("history_date")
    assert "Tilda form" in created.history_change_reason
    assert subject.consents.filter(purpose__code="newsletter", state=ConsentState.GIVEN).exists()


@pytest.mark.django_db
def test_a_box_that_asks_to_be_told_of_transfers_gives_a_consent_with_that_condition(
    tilda, volunteer_form
):
    volunteer_form.boxes.filter(field="newsletter").update(notify_of_transfer=True)

    post(tilda, body("registration_kk.txt"))

    consents = {c.purpose.code: c for c in Subject.objects.get().consents.select_related("purpose")}
    assert consents["newsletter"].notify_of_transfer is True
    assert consents["feedback"].notify_of_transfer is False

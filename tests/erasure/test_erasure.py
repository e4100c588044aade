import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from consents import services as consent_services
from consents.models import SuppressionEntry
from consents.suppression import is_suppressed
from consents.unsubscribe import unsubscribe, unsubscribe_target, unsubscribe_token
from erasure.models import ErasureLog
from erasure.services import AlreadyErased, ErasureRefused, subject_erase
from requests.models import SubjectRequest
from subjects import services as subject_services
from subjects.models import AgreementData, ContactHandle, Subject
from tests.consents.factories import purpose
from tests.erasure import canary
from tests.requests.factories import SubjectRequestFactory, request_by_email
from tests.subjects.factories import AgreementDataFactory


def build_canary_subject(officer, marker: str) -> Subject:
    """The canary: marked everywhere, edited, consented, unsubscribed, with a request."""
    data = canary.marked_fields(Subject, marker) | {"source": "email"}
    subject = subject_services.subject_create(actor=officer, reason="Registered", data=data)
    for step in range(3):  # every edit leaves a history row holding the marker
        subject_services.subject_update(
            subject=subject,
            actor=officer,
            reason=f"Edit {step}",
            data={"city": f"city {step} {marker}", "photo": canary.marked_value(
                Subject._meta.get_field("photo"), f"{marker}{step}")},
        )  # fmt: skip
    handle = subject_services.handle_add(
        subject=subject, actor=officer, reason="Form", kind="telegram", value=f"@{marker}"
    )
    subject_services.handle_remove(handle=handle, actor=officer, reason="Old account")
    subject_services.handle_add(
        subject=subject, actor=officer, reason="Form", kind="instagram", value=f"@{marker}_ig"
    )
    for code in ("newsletter", "contracts"):
        consent_services.consent_give(
            subject=subject,
            purpose=purpose(code),
            method="tilda_form",
            actor=officer,
            reason="Tilda form",
            evidence=f"Form submission of {marker}",
            evidence_payload={"Name": marker, "Email": f"{marker}@example.com"},
            evidence_file=canary.marked_value(
                Subject._meta.get_field("photo"), f"evidence{marker}"
            ),
        )
    # Imported from an old list (evidence names the file), and a request by e-mail (raw .eml kept).
    # (The file name is the list's, not the person's: history names it, so no marker in it.)
    old_list = Path(settings.MEDIA_ROOT).parent / "old-list.csv"
    old_list.write_text(f"Email,First Name\n{subject.email},{marker}\n", encoding="utf-8")
    call_command(
        "import_mailing_list", str(old_list), "--purpose", "feedback", "--actor", "officer"
    )
    old_list.unlink()
    letter_request = request_by_email(
        body=f"Прошу удалить мои данные. {marker}", sender=f"{marker} <{subject.email}>"
    )
    assert letter_request.subject == subject
    assert subject.consents.filter(purpose__code="feedback", method="import").exists()
    token = unsubscribe_token(subject=subject, purpose=purpose("newsletter"))
    unsubscribe(target=unsubscribe_target(token=token))
    SubjectRequestFactory(
        subject=subject,
        **canary.marked_fields(SubjectRequest, marker),
    )
    AgreementDataFactory(subject=subject, passport_issued_by=f"Issued by {marker}")
    return subject


@pytest.mark.django_db
def test_erasure_leaves_the_marker_nowhere_and_keeps_every_history_row(
    officer, media, django_capture_on_commit_callbacks
):
    marker = canary.new_marker()
    subject = build_canary_subject(officer, marker)
    needles = [marker, canary.PHONE, canary.IIN]
    hits = canary.database_hits(needles)  # the scan finds what is there
    assert hits["subjects_subjectsearch.text"] == 1  # upper-cased: the scan ignores case
    assert canary.media_hits(media, [marker])
    history_before = canary.history_counts()

    with django_capture_on_commit_callbacks(execute=True):  # files go once the erasure commits
        log = subject_erase(subject=subject, actor=officer, reason="Request #1")

    assert canary.database_hits(needles) == {}
    assert canary.media_hits(media, [marker]) == []
    # Every history row stays; the erasure adds its own on the subject and each consent it ended.
    added = {"subjects_historicalsubject": 1, "consents_historicalconsent": 2}
    assert canary.history_counts() == {
        table: count + added.get(table, 0) for table, count in history_before.items()
    }
    subject.refresh_from_db()
    assert (subject.state, subject.email, subject.birth_date) == ("erased", None, None)
    assert subject.erased_at is not None
    assert log.actor == officer
    assert log.counts["tables"]["subjects.Subject"]["history_rows"] == 4  # created, 3 edits


@pytest.mark.django_db
def test_erasure_keeps_the_events_and_suppresses_the_person(officer, media):
    subject = build_canary_subject(officer, canary.new_marker())
    subject_request = SubjectRequest.objects.get(subject=subject, kind="access")
    email, phone = subject.email, subject.phone

    subject_erase(subject=subject, actor=officer, reason="Request", subject_request=subject_request)

    assert is_suppressed(email=email)
    assert is_suppressed(phone=phone)
    subject_request.refresh_from_db()
    assert (subject_request.kind, subject_request.status, subject_request.subject_id) == (
        "access",
        "received",
        subject.pk,
    )
    assert subject_request.requester_last_name == ""
    consents = subject.consents.order_by("purpose__code")
    assert [(c.purpose.code, c.state, c.withdrawal_channel) for c in consents] == [
        ("contracts", "withdrawn", "erasure"),
        ("feedback", "withdrawn", "erasure"),
        ("newsletter", "withdrawn", "unsubscribe_link"),
    ]
    subject.refresh_from_db()
    assert {c.withdrawn_at for c in consents if c.withdrawal_channel == "erasure"} == {
        subject.erased_at
    }
    assert ContactHandle.objects.filter(subject=subject).get().value == ""
    agreement = AgreementData.objects.get(subject=subject)
    assert (agreement.passport_number, agreement.passport_number_index) == ("", "")
    history = Subject.history.filter(id=subject.pk)
    assert {h.history_user for h in history} == {officer}  # staff names stay
    assert all(h.history_change_reason for h in history)


@pytest.mark.django_db
def test_erasure_writes_its_own_history_row_naming_actor_request_and_reason(officer, media):
    marker = canary.new_marker()
    subject = build_canary_subject(officer, marker)
    subject_request = SubjectRequest.objects.get(subject=subject, kind="access")

    log = subject_erase(
        subject=subject, actor=officer, reason="Asked by letter", subject_request=subject_request
    )

    last = Subject.history.filter(id=subject.pk).latest()
    assert (last.history_type, last.state, last.history_user) == ("~", "erased", officer)
    assert last.history_change_reason == (
        f"Erased (erasure log #{log.pk}, request #{subject_request.pk}): Asked by letter"
    )
    assert (last.last_name, last.email, last.phone) == ("", None, "")
    ended = [c.history.latest() for c in subject.consents.filter(withdrawal_channel="erasure")]
    assert len(ended) == 2
    assert {(h.state, h.history_change_reason, h.evidence) for h in ended} == {
        ("withdrawn", last.history_change_reason, "")
    }


@pytest.mark.django_db
def test_erasure_suppresses_contacts_nobody_suppressed_before(officer, media):
    from tests.subjects.factories import SubjectFactory

    subject = SubjectFactory(email="quiet@example.org", phone="+77010000555")

    subject_erase(subject=subject, actor=officer, reason="Request")

    reasons = set(SuppressionEntry.objects.values_list("kind", "reason"))
    assert reasons == {("email", "erased"), ("phone", "erased")}
    assert is_suppressed(email="QUIET@example.org")


@pytest.mark.django_db
def test_erasure_is_journaled_after_commit_without_personal_data(
    officer, media, settings, django_capture_on_commit_callbacks
):
    marker = canary.new_marker()
    subject = build_canary_subject(officer, marker)

    with django_capture_on_commit_callbacks(execute=True):
        log = subject_erase(subject=subject, actor=officer, reason="Request #9")

    lines = settings.ERASURE_JOURNAL_PATH.read_text().splitlines()
    assert [json.loads(line)["log_id"] for line in lines] == [log.pk]
    entry = json.loads(lines[0])
    assert (entry["subject_id"], entry["actor"], entry["reason"]) == (
        subject.pk, "officer", "Request #9",
    )  # fmt: skip
    assert marker not in lines[0]


@pytest.mark.django_db
def test_a_legal_hold_refuses_the_erasure_and_the_refusal_is_logged(officer, media):
    marker = canary.new_marker()
    subject = build_canary_subject(officer, marker)
    contract = subject.consents.get(purpose__code="contracts")
    consent_services.consent_legal_hold_set(
        consent=contract,
        legal_hold=True,
        legal_hold_reason="Contract No. 12 is being performed",
        actor=officer,
        reason="Contract signed",
    )

    with pytest.raises(ErasureRefused) as refused:
        subject_erase(subject=subject, actor=officer, reason="Request #3")

    assert "Contract No. 12" in str(refused.value)
    log = ErasureLog.objects.get()
    assert (log.outcome, log.actor) == ("refused", officer)
    subject.refresh_from_db()
    assert subject.state == "active"
    assert marker in subject.email


@pytest.mark.django_db
def test_an_erased_subject_cannot_be_erased_again(officer, media):
    subject = build_canary_subject(officer, canary.new_marker())
    subject_erase(subject=subject, actor=officer, reason="x")
    subject.refresh_from_db()

    with pytest.raises(AlreadyErased):
        subject_erase(subject=subject, actor=officer, reason="again")


@pytest.mark.django_db
def test_the_command_erases_by_email_and_checks_the_actor(officer, staff_user, media, capsys):
    subject = build_canary_subject(officer, canary.new_marker())

    with pytest.raises(CommandError, match="needs the privacy officer role"):
        call_command("erase_subject", "--email", subject.email, "--actor", staff_user.username)
    with pytest.raises(CommandError, match="Say who erases"):
        call_command("erase_subject", "--email", subject.email)
    call_command(
        "erase_subject", "--email", subject.email.upper(), "--dry-run", "--actor", "officer"
    )
    subject.refresh_from_db()
    assert subject.state == "active"

    call_command(
        "erase_subject", "--subject", str(subject.pk), "--actor", "officer", "--reason", "Req 5"
    )

    subject.refresh_from_db()
    assert subject.state == "erased"
    assert "erased (log #" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_admin_action_asks_for_confirmation_and_is_the_officers_alone(
    client, officer, staff_user, media
):
    subject = build_canary_subject(officer, canary.new_marker())
    url = reverse("admin:subjects_subject_changelist")
    post = {"action": "erase_subjects", "_selected_action": [subject.pk]}

    client.force_login(staff_user)
    assert "erase_subjects" not in client.get(url).text
    client.post(url, {**post, "confirm": "yes", "reason": "x", "confirm_irreversible": "on"})
    subject.refresh_from_db()
    assert subject.state == "active"

    client.force_login(officer)
    page = client.post(url, post)
    unconfirmed = client.post(url, {**post, "confirm": "yes", "reason": "Request #4"})
    subject.refresh_from_db()
    assert page.status_code == 200
    assert unconfirmed.status_code == 200
    assert subject.state == "active"
    done = client.post(
        url, {**post, "confirm": "yes", "reason": "Request #4", "confirm_irreversible": "on"}
    )
    subject.refresh_from_db()
    assert done.status_code == 302
    assert subject.state == "erased"
    assert ErasureLog.objects.get().reason == "Request #4"

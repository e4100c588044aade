"""The canary, end to end: a person entered and worked on through the admin (and the mail, the
import, the unsubscribe page), erased through the admin, then searched for everywhere: every
column of every table of the database, every file under MEDIA_ROOT, every log line written."""

import io
import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from consents.models import Consent
from consents.unsubscribe import unsubscribe_token
from imports.services import ImportSource, mailing_list_import
from requests.models import SubjectRequest, UnreadableMessage
from requests.services.intake import message_ingest
from subjects.models import AgreementData, Subject
from tests.consents.factories import purpose
from tests.erasure import canary
from tests.requests.letters import letter
from tests.subjects.test_admin import ADD_URL, CHANGE_INLINES, _form

IIN = canary.IIN
PHONE = canary.PHONE


class Everything(logging.Handler):
    """Every log record of the test, formatted, from every logger (those that do not propagate
    to the root too)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.__dict__}")


@pytest.fixture
def all_logs():
    handler = Everything()
    loggers = [logging.getLogger(), *map(logging.getLogger, logging.root.manager.loggerDict)]
    levels = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for logger, level in levels:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _png(name: str) -> SimpleUploadedFile:
    stream = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(stream, format="PNG")
    return SimpleUploadedFile(name, stream.getvalue(), content_type="image/png")


def _ok(response) -> None:
    context = response.context or {}
    errors = context["adminform"].form.errors if "adminform" in context else ""
    assert response.status_code == 302, errors


def _through_the_admin(client, monkeypatch, marker: str) -> Subject:
    email = f"{marker}@example.com"
    _ok(
        client.post(
            ADD_URL,
            _form(
                last_name=f"Last {marker}", first_name=f"First {marker}",
                patronymic=f"Patronymic {marker}", email=email, phone=PHONE, iin=IIN,
                city=f"City {marker}", address=f"Address {marker}", country="KZ",
                position=f"Position {marker}", organisation=f"Organisation {marker}",
                website=f"https://{marker}.example.com/", source_detail=f"Form of {marker}",
                birth_date="1990-01-01", photo=_png(f"{marker}.png"),
                **{"handles-TOTAL_FORMS": "1", "handles-0-kind": "telegram",
                   "handles-0-value": f"@{marker}"},  # type: ignore[arg-type]
            ),
        )
    )  # fmt: skip
    subject = Subject.objects.get(email=email)
    change = reverse("admin:subjects_subject_change", args=[subject.pk])
    handle = subject.handles.get()
    for step in range(2):  # two edits: each leaves a history row with the values of the day
        _ok(
            client.post(
                change,
                _form(
                    CHANGE_INLINES, last_name=f"Last {marker}", email=email, phone=PHONE,
                    city=f"City {step} {marker}", change_reason=f"Letter {step}",
                    **{"handles-TOTAL_FORMS": "2", "handles-INITIAL_FORMS": "1",
                       "handles-0-id": str(handle.pk), "handles-0-subject": str(subject.pk),
                       "handles-0-kind": "telegram", "handles-0-value": f"@{marker}",
                       "handles-1-kind": "instagram", "handles-1-value": f"@{marker}_{step}"}
                    if step == 0 else {},
                ),
            )
        )  # fmt: skip
    _ok(
        client.post(
            reverse("admin:subjects_agreementdata_add"),
            {
                "subject": subject.pk, "agreement_number": "Д-17", "agreement_date": "2026-02-02",
                "passport_number": "N01234567", "passport_issued_by": f"Issued by {marker}",
                "passport_issued_on": "2021-09-01", "bank_name": f"Bank {marker}",
                "bank_bic": "HSBKKZKX", "bank_account": "KZ86125KZT5004100100",
                "change_reason": "",
            },
        )
    )  # fmt: skip
    agreement = AgreementData.objects.get(subject=subject)
    revealed = client.get(reverse("admin:subjects_agreementdata_change", args=[agreement.pk]))
    assert f"Issued by {marker}" in revealed.text  # the reveal, logged
    for code in ("newsletter", "contracts"):
        _ok(
            client.post(
                reverse("admin:consents_consent_add"),
                {
                    "subject": subject.pk, "purpose": purpose(code).pk,
                    "given_at_0": "2026-11-20", "given_at_1": "10:00:00",
                    "method": "tilda_form", "evidence": f"Submission of {marker}",
                    "evidence_file": SimpleUploadedFile(f"{marker}-{code}.txt", marker.encode()),
                    "evidence_payload": json.dumps({"Name": marker, "Email": email}),
                    "data_categories": ["name", "email"],
                },
            )
        )  # fmt: skip
    # A request by e-mail, and a letter of theirs intake could not read.
    subject_request = message_ingest(
        raw=letter(sender=f"{marker} <{email}>", body=f"Прошу удалить мои данные. {marker}"),
        source="box#1",
    ).request
    assert subject_request is not None
    assert subject_request.subject == subject

    from requests.services import intake

    monkeypatch.setattr(intake, "parse_message", _unreadable)
    message_ingest(raw=letter(sender=f"{marker} <{email}>", body=f"{marker} {PHONE}"), source="b")
    monkeypatch.undo()
    assert UnreadableMessage.objects.count() == 1
    # An old list with them in it; then they unsubscribe from the newsletter.
    old_list = f"Email,First Name\n{email},{marker}\n".encode()
    mailing_list_import(
        sources=[ImportSource("old.csv", io.BytesIO(old_list))],
        purpose=purpose("feedback"),
        actor=None,
    )
    token = unsubscribe_token(subject=subject, purpose=purpose("newsletter"))
    assert client.post(reverse("unsubscribe", args=[token])).status_code == 200
    return subject


def _unreadable(raw: bytes):
    from requests.mail.parsing import UnreadableMessageError

    raise UnreadableMessageError("parser bug")


@pytest.mark.django_db
def test_after_an_erasure_through_the_admin_the_canary_is_nowhere(
    officer_client, media, all_logs, settings, monkeypatch, django_capture_on_commit_callbacks
):
    marker = canary.new_marker()
    needles = [marker, PHONE, PHONE[2:], IIN]
    subject = _through_the_admin(officer_client, monkeypatch, marker)
    found = canary.database_hits(needles)
    # The scan sees the person where they are (history, admin log, request, consents...).
    for column in (
        "subjects_subject.last_name", "subjects_historicalsubject.city",
        "subjects_historicalcontacthandle.value", "consents_historicalconsent.evidence",
        "requests_subjectrequest.content",
    ):  # fmt: skip
        assert column in found, column
    assert canary.media_hits(media, [marker])
    subject_request = SubjectRequest.objects.get(subject=subject, channel="email")

    with django_capture_on_commit_callbacks(execute=True):
        done = officer_client.post(
            reverse("admin:subjects_subject_changelist"),
            {
                "action": "erase_subjects", "_selected_action": [subject.pk], "confirm": "yes",
                "reason": "Request by e-mail", "request": subject_request.pk,
                "confirm_irreversible": "on",
            },
        )  # fmt: skip

    assert done.status_code == 302
    subject.refresh_from_db()
    assert subject.state == "erased"
    assert canary.database_hits(needles) == {}
    assert canary.media_hits(media, needles) == []
    assert [line for line in all_logs.lines if any(n in line for n in needles)] == []
    journal = settings.ERASURE_JOURNAL_PATH.read_text()
    assert not any(n in journal for n in needles)
    # Encrypted values cannot be scanned for: they are asserted blank.
    agreement = AgreementData.objects.get(subject=subject)
    assert {str(getattr(agreement, n)) for n in ("passport_number", "bank_name")} == {""}
    assert {h.passport_issued_by for h in agreement.history.all()} == {""}
    assert not Consent.objects.filter(subject=subject, state="given").exists()
    # The admin index's "Recent actions" names the person by kind and id only.
    index = officer_client.get(reverse("admin:index"))
    assert marker not in index.text
    assert f"Data subject #{subject.pk}" in index.text


@pytest.mark.django_db
def test_the_scan_fails_on_a_column_it_cannot_read():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA side; CREATE TABLE side.words (words tsvector)")

    with pytest.raises(canary.UnreadableColumn, match=r"side\.words\.words"):
        canary.database_hits(["anything"])


@pytest.mark.django_db
def test_the_scan_reads_other_schemas_bytea_and_sessions(client, officer):
    from django.db import connection

    marker = canary.new_marker()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE SCHEMA side; CREATE TABLE side.blobs (data bytea);"
            "INSERT INTO side.blobs VALUES (convert_to(%s, 'UTF8'))",
            [f"a {marker} b"],
        )
    client.force_login(officer)
    session = client.session
    session["note"] = marker
    session.save()

    hits = canary.database_hits([marker])

    assert hits == {"side.blobs.data": 1, "django_session.session_data": 1}

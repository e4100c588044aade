"""From intake to a sent answer, through a real SMTP sink on loopback."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from common.history import save_with_history
from common.workdays import ALMATY
from consents.models import ConsentState
from erasure.services import request_erase_and_answer
from requests.models import (
    ActionKind,
    AnswerTemplate,
    AnswerVia,
    RequestKind,
    RequestStatus,
    SubjectRequest,
)
from requests.services import answers, fulfilment
from requests.services.intake import message_ingest, request_kind_confirm
from subjects.models import SubjectState
from subjects.services import subject_block
from tests.consents.factories import ConsentFactory, purpose
from tests.organisation.factories import OperatorProfileFactory
from tests.requests.letters import letter, reply_to
from tests.subjects.factories import SubjectFactory

ADDRESS = "asel.kim@example.kz"


@pytest.fixture
def operator(db):
    return OperatorProfileFactory(
        name_ru="Фонд «Демо»", name_en="Demo Foundation", privacy_email="privacy@example.org"
    )


def _subject(language: str):
    subject = SubjectFactory(
        email=ADDRESS, last_name="Ким", first_name="Асель", patronymic="Маратовна",
        preferred_language=language,
    )  # fmt: skip
    ConsentFactory(subject=subject, purpose=purpose("newsletter"))
    ConsentFactory(subject=subject, purpose=purpose("feedback"))
    return subject


def _confirmed(body: str, officer, *, sender: str = f"Асель Ким <{ADDRESS}>") -> SubjectRequest:
    """A letter taken in, and the kind intake suggested confirmed by the officer."""
    subject_request = message_ingest(raw=letter(sender=sender, body=body), source="t").request
    assert subject_request is not None
    request_kind_confirm(subject_request=subject_request, actor=officer)
    return subject_request


def _fulfil(kind: str, subject_request: SubjectRequest, officer) -> None:
    """What staff do for each kind before answering."""
    if kind == RequestKind.RECTIFICATION:
        fulfilment.request_rectify(
            subject_request=subject_request, actor=officer, data={"city": "Астана"}
        )
    elif kind == RequestKind.BLOCKING:
        fulfilment.request_block(subject_request=subject_request, actor=officer)
    elif kind == RequestKind.UNBLOCKING:
        fulfilment.request_unblock(subject_request=subject_request, actor=officer)
    elif kind in (RequestKind.WITHDRAWAL, RequestKind.UNSUBSCRIBE):
        fulfilment.request_withdraw_consents(
            subject_request=subject_request, actor=officer, purposes=[purpose("newsletter")]
        )
    elif kind == RequestKind.WITHDRAWAL_ALL:
        fulfilment.request_withdraw_consents(
            subject_request=subject_request, actor=officer, purposes=None
        )


LETTERS = {
    RequestKind.ACCESS: (
        "kk",
        "Менің қандай дербес деректерім сақталатынын хабарлауыңызды сұраймын.",
    ),
    RequestKind.RECTIFICATION: ("ru", "Прошу исправить мой город на Астана."),
    RequestKind.BLOCKING: ("en", "Please block the processing of my data."),
    RequestKind.UNBLOCKING: ("ru", "Прошу разблокировать мои данные."),
    RequestKind.WITHDRAWAL: ("kk", "Жаңалықтар таратылымына берген келісімімді кері қайтарамын."),
    RequestKind.WITHDRAWAL_ALL: ("en", "I withdraw all my consents."),
    RequestKind.UNSUBSCRIBE: ("ru", "Отпишите меня от рассылки."),
    RequestKind.COMPLAINT: ("kk", "Шағым: маған сұрамаған хаттар келеді."),
    RequestKind.OTHER: ("en", "When is your next charity run?"),
}
SUBJECT_LINES = {"kk": "өтінішке жауап", "ru": "Ответ на обращение", "en": "Answer to your request"}


@pytest.mark.parametrize("kind", list(LETTERS), ids=str)
def test_each_kind_goes_from_the_letter_to_a_sent_answer(
    kind, operator, officer, smtp_sink, django_capture_on_commit_callbacks
):
    language, body = LETTERS[kind]
    subject = _subject(language)
    if kind == RequestKind.UNBLOCKING:
        subject_block(subject=subject, actor=officer, reason="earlier request")
    subject_request = message_ingest(
        raw=letter(sender=f"Асель Ким <{ADDRESS}>", body=body), source="t"
    ).request
    assert subject_request.suggested_kind == kind
    request_kind_confirm(subject_request=subject_request, actor=officer)
    _fulfil(kind, subject_request, officer)
    subject_request.refresh_from_db()
    draft_subject, draft_body = answers.answer_draft(subject_request)

    with django_capture_on_commit_callbacks(execute=True):
        answers.answer_send(
            subject_request=subject_request, actor=officer, subject=draft_subject, body=draft_body
        )

    [sent] = smtp_sink.received
    assert smtp_sink.envelopes == [("privacy@example.org", [ADDRESS])]
    assert SUBJECT_LINES[language] in str(sent["Subject"])
    text = sent.get_body(("plain",)).get_content()
    assert "Асель Ким" in text  # the requester as they wrote themselves
    assert "г.." not in text
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.COMPLETED
    assert subject_request.answered_via == AnswerVia.EMAIL
    assert subject_request.answered_at is not None
    assert subject_request.answer_body == draft_body
    assert subject_request.answer_message_id == str(sent["Message-ID"])
    assert subject_request.actions.filter(kind=ActionKind.ANSWER_SENT, actor=officer).exists()
    assert subject_request.history.latest().history_user == officer


def test_an_access_answer_carries_the_report_as_pdf_and_page_in_the_subjects_language(
    operator, officer, smtp_sink, django_capture_on_commit_callbacks
):
    _subject("ru")
    subject_request = _confirmed("Какие мои персональные данные у вас хранятся?", officer)

    with django_capture_on_commit_callbacks(execute=True):
        answers.answer_send(
            subject_request=subject_request,
            actor=officer,
            **dict(zip(("subject", "body"), answers.answer_draft(subject_request), strict=True)),
        )

    [sent] = smtp_sink.received
    pdf, page = list(sent.iter_attachments())
    assert (pdf.get_filename(), pdf.get_content_type()) == ("access-report.pdf", "application/pdf")
    assert (page.get_filename(), page.get_content_type()) == ("access-report.html", "text/html")
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.get_content())).pages)
    assert "Сведения о хранящихся у нас персональных данных" in page.get_content()
    for value in ("Ким", "Асель", ADDRESS):
        assert value in text
        assert value in page.get_content()
    body = sent.get_body(("plain",)).get_content()
    assert "приложенном отчёте" in body
    assert ".json" not in body
    subject_request.refresh_from_db()
    with subject_request.answer_attachment.open("rb") as handle:
        assert handle.read() == pdf.get_content()
    assert subject_request.actions.filter(kind=ActionKind.ACCESS_REPORT).exists()


def test_a_refused_request_closes_as_refused_with_the_reason_in_the_answer(
    operator, officer, smtp_sink, django_capture_on_commit_callbacks
):
    _subject("en")
    subject_request = _confirmed("Please delete my data.", officer, sender=ADDRESS)
    fulfilment.request_refuse(
        subject_request=subject_request,
        actor=officer,
        reason="Your contract with us is not yet fulfilled.",
    )
    subject_request.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        answers.answer_send(
            subject_request=subject_request,
            actor=officer,
            **dict(zip(("subject", "body"), answers.answer_draft(subject_request), strict=True)),
        )

    [sent] = smtp_sink.received
    assert "Your contract with us is not yet fulfilled." in sent.get_body(("plain",)).get_content()
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.REFUSED


def test_a_request_stays_open_when_the_answer_cannot_be_sent(
    operator, officer, smtp_sink, django_capture_on_commit_callbacks
):
    _subject("en")
    subject_request = _confirmed("When is your next run?", officer, sender=ADDRESS)
    smtp_sink.refuse = True

    with django_capture_on_commit_callbacks(execute=True):
        answers.answer_send(
            subject_request=subject_request, actor=officer, subject="Answer", body="Text"
        )

    subject_request.refresh_from_db()
    assert subject_request.is_open
    assert subject_request.answered_at is None
    failure = subject_request.actions.get(kind=ActionKind.ANSWER_FAILED)
    assert "554" in failure.note


def test_an_answer_needs_a_confirmed_kind(operator, officer, smtp_sink):
    subject_request = message_ingest(
        raw=letter(sender=ADDRESS, body="Please delete my data."), source="t"
    ).request

    with pytest.raises(ValidationError, match="Confirm the kind"):
        answers.answer_send(
            subject_request=subject_request, actor=officer, subject="Answer", body="Text"
        )


def test_an_answer_sent_by_post_is_recorded_and_closes_the_request(operator, staff_user):
    subject_request = message_ingest(
        raw=letter(sender=ADDRESS, body="Please delete my data."), source="t"
    ).request
    request_kind_confirm(subject_request=subject_request, actor=staff_user)
    sent_at = timezone.now() - timedelta(hours=2)

    answers.answer_record_posted(
        subject_request=subject_request, actor=staff_user, subject="Answer", body="Printed answer",
        sent_at=sent_at, note="Registered letter RR123456789KZ",
    )  # fmt: skip

    subject_request.refresh_from_db()
    assert (subject_request.status, subject_request.answered_via, subject_request.answered_at) == (
        RequestStatus.COMPLETED, AnswerVia.POST, sent_at,
    )  # fmt: skip
    assert (
        subject_request.actions.get(kind=ActionKind.ANSWER_POSTED).note
        == "Registered letter RR123456789KZ"
    )


def test_a_closed_request_must_have_its_answer(db):
    subject_request = message_ingest(
        raw=letter(sender=ADDRESS, body="Please delete my data."), source="t"
    ).request
    subject_request.status = RequestStatus.COMPLETED

    with pytest.raises(ValidationError, match="only once its answer is sent"):
        subject_request.full_clean()


def test_an_incomplete_request_gets_the_prepared_reply_and_the_requesters_answer_restarts_the_clock(
    operator, staff_user, smtp_sink, django_capture_on_commit_callbacks
):
    # "Asel Kim" gives no patronymic: incomplete. Received Monday 6 April 2026: due Thursday 9.
    # (How days spent waiting move the due date is pinned in test_deadlines.)
    subject_request = message_ingest(
        raw=letter(
            sender=f"Асель Ким <{ADDRESS}>", body="Какие мои персональные данные у вас хранятся?"
        ),
        source="t",
        received_at=datetime(2026, 4, 6, 10, tzinfo=ALMATY),
    ).request
    assert subject_request.missing_items == ["requester_patronymic"]
    subject_line, body = answers.information_request_draft(subject_request)
    # The missing part, named in their language.
    with translation.override(subject_request.language):
        assert str(answers.MISSING_ITEM_NAMES["requester_patronymic"]) in body

    with django_capture_on_commit_callbacks(execute=True):
        answers.information_request_send(
            subject_request=subject_request, actor=staff_user, subject=subject_line, body=body
        )

    [question] = smtp_sink.received
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.AWAITING_INFORMATION
    assert subject_request.due_date is None

    reply = reply_to(question, sender=f"Асель Ким <{ADDRESS}>", body="Моё отчество: Маратовна.")
    result = message_ingest(raw=reply, source="t")

    assert result.outcome == "follow_ups"
    assert result.request == subject_request
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.IN_PROGRESS
    # The clock runs again (asked and answered today: today counts, so nothing moved).
    assert subject_request.due_date == date(2026, 4, 9)
    pause = subject_request.pauses.get()
    assert pause.resumed_at is not None
    assert pause.resumed_by is None
    follow_up = subject_request.actions.get(kind=ActionKind.FOLLOW_UP)
    assert "Маратовна" in follow_up.note
    assert subject_request.actions.filter(kind=ActionKind.RESUMED, actor=None).exists()
    assert subject_request.attachments.filter(content_type="message/rfc822").count() == 1
    # The same reply read again is a duplicate, not another follow-up.
    assert message_ingest(raw=reply, source="t").outcome == "duplicates"
    assert SubjectRequest.objects.count() == 1


def test_the_officers_edited_template_is_what_goes_out(
    operator, officer, smtp_sink, django_capture_on_commit_callbacks
):
    template = AnswerTemplate.objects.get(key=RequestKind.OTHER, language="en")
    template.body_template = (
        "Hello {{ first_name }}, request {{ number }} is done. {{ operator_name }}"
    )
    template.full_clean()
    save_with_history(template, actor=officer, reason="Shorter")
    _subject("en")
    subject_request = _confirmed("When is the next run?", officer)

    _subject_line, body = answers.answer_draft(subject_request)

    assert body == f"Hello Асель, request {subject_request.pk} is done. Demo Foundation\n"


def test_a_template_with_a_syntax_error_is_refused(db):
    template = AnswerTemplate.objects.get(key=RequestKind.OTHER, language="en")
    template.body_template = "Hello {% if %}"

    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "body_template" in error.value.message_dict


def test_erasure_with_its_answer_blanks_the_request_and_still_answers_the_requester(
    operator, officer, smtp_sink, django_capture_on_commit_callbacks
):
    subject = _subject("ru")
    raw = letter(sender=f"Асель Ким <{ADDRESS}>", body="Прошу удалить все мои персональные данные.")
    subject_request = message_ingest(raw=raw, source="t").request
    request_kind_confirm(subject_request=subject_request, actor=officer)
    subject_line, body = answers.answer_draft(subject_request)

    with django_capture_on_commit_callbacks(execute=True):
        request_erase_and_answer(
            subject_request=subject_request, actor=officer, subject=subject_line, body=body
        )

    [sent] = smtp_sink.received
    assert smtp_sink.envelopes[0][1] == [ADDRESS]
    assert "уничтожены" in sent.get_body(("plain",)).get_content()
    subject.refresh_from_db()
    assert subject.state == SubjectState.ERASED
    assert subject.email is None
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.COMPLETED
    assert subject_request.answered_at is not None
    # The event stays; the person is gone from the request too.
    assert (
        subject_request.reply_email,
        subject_request.content,
        subject_request.requester_last_name,
        subject_request.answer_body,
    ) == ("", "", "", "")
    assert [a.kind for a in subject_request.actions.order_by("acted_at", "pk")][-2:] == [
        ActionKind.ERASED,
        ActionKind.ANSWER_SENT,
    ]
    assert not subject.consents.filter(state=ConsentState.GIVEN).exclude(evidence="").exists()
    # The mailbox read again after the erasure does not bring the letter, or the person, back.
    assert message_ingest(raw=raw, source="t").outcome == "duplicates"
    assert SubjectRequest.objects.count() == 1

"""The request page around the task: the facts first, only the actions the request calls for,
the subject matched among namesakes, the prepared answer; and the day's work in four clicks.

The day's work, as a user clicks it from the desk (the admin index, already open):
1. the most urgent request of the work queue (GET its page);
2. "Confirm" in the panel of its kind and data subject, the right namesake chosen (POST);
3. for an access request, "Send the answer" under the prepared answer, the report attached
   (POST): three clicks. For an erasure request, "Erase the subject and answer" (GET) and
4. its confirmation (POST): four clicks. For a withdrawal, "Withdraw consents" in place, the
   consents its kind calls for already ticked (POST), then 4. "Send the answer" (POST).
Block and unblock act in place too; a rectification opens its form (five clicks: what is
corrected has to be typed).
"""

import re
from datetime import date, timedelta
from html import unescape
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from requests.models import RequestKind, RequestStatus, SubjectRequest
from requests.services import answers, deadlines
from requests.services.intake import request_kind_confirm
from subjects.models import SubjectState
from tests.organisation.factories import OperatorProfileFactory
from tests.requests.factories import request_by_email
from tests.subjects.factories import SubjectFactory

pytestmark = pytest.mark.django_db


class Walker:
    """The officer's browser: counts the pages a user asks for (a redirect followed is not a
    click) and sends back the forms as the page fills them."""

    def __init__(self, client) -> None:
        self.client, self.clicks = client, 0

    def get(self, url: str) -> str:
        self.clicks += 1
        response = self.client.get(url, follow=True)
        assert response.status_code == 200, url
        return response.content.decode()

    def post(self, url: str, data: dict) -> str:
        self.clicks += 1
        response = self.client.post(url, data, follow=True)
        assert response.status_code == 200, url
        return response.content.decode()


def _form(page: str, form_id: str) -> tuple[str, dict[str, str]]:
    """The action and the values of a form of the page, as a browser would send them."""
    form = re.search(rf'<form[^>]*action="([^"]+)"[^>]*id="{form_id}".*?</form>', page, re.S)
    assert form, form_id
    return unescape(form.group(1)), _values(form.group(0))


def _values(html: str) -> dict[str, str]:
    data = {
        name: unescape(value)
        for name, value in re.findall(
            r'<input type="(?:hidden|text)" name="(\w+)"[^>]*?value="([^"]*)"', html
        )
    }
    data.update(
        (name, unescape(text))
        for name, text in re.findall(r'<textarea name="(\w+)"[^>]*>\n?(.*?)</textarea>', html, re.S)
    )
    for name, options in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        data[name] = chosen.group(1) if chosen else ""
    return data


def _queue_first(page: str) -> str:
    queue = page[page.index('id="request-queue"') :]
    link = re.search(r'href="(/admin/requests/subjectrequest/\d+/change/)"', queue)
    assert link
    return link.group(1)


@pytest.fixture
def namesakes():
    """Two people of the same name: the one who writes is told apart by e-mail and birth year."""
    writer = SubjectFactory(
        last_name="Қасымова", first_name="Әйгерім", patronymic="Серікқызы",
        email="aigerim.k@example.kz", birth_date=date(1991, 4, 2), preferred_language="kk",
    )  # fmt: skip
    other = SubjectFactory(
        last_name="Қасымова", first_name="Әйгерім", patronymic="Ерланқызы",
        email="kasymova.a@example.com", birth_date=date(1978, 11, 20), preferred_language="kk",
    )  # fmt: skip
    return writer, other


def _request_from_work_address(body: str, days_ago: int) -> SubjectRequest:
    """A letter from an address the register does not know: the person names themselves."""
    return request_by_email(
        body=f"{body}\n\nҚасымова Әйгерім Серікқызы, 1991 ж.т.",
        sender="Қасымова Әйгерім <a.kasymova@work.kz>",
        when=timezone.now() - timedelta(days=days_ago),
    )


def _walk_to_the_request(walker: Walker, urgent: SubjectRequest) -> str:
    desk = walker.client.get(reverse("admin:index")).content.decode()  # the desk is open
    url = _queue_first(desk)
    assert url == reverse("admin:requests_subjectrequest_change", args=[urgent.pk])
    return walker.get(url)


def _match(walker: Walker, page: str, writer, other, kind: str) -> str:
    # Namesakes are told apart in the picker: e-mail and year of birth beside the name.
    assert "aigerim.k@example.kz, born 1991" in page
    assert "kasymova.a@example.com, born 1978" in page
    url, data = _form(page, "request-match")
    return walker.post(url, {**data, "kind": kind, "subject": writer.pk})


def test_an_access_request_is_answered_in_three_clicks_from_the_desk(
    officer_client, namesakes, smtp_sink, django_capture_on_commit_callbacks
):
    OperatorProfileFactory()
    writer, other = namesakes
    _request_from_work_address("Менің дербес деректерім туралы ақпарат беріңізші.", days_ago=2)
    urgent = _request_from_work_address("Менде қандай деректер бар екенін айтыңыз.", days_ago=20)
    walker = Walker(officer_client)

    page = _walk_to_the_request(walker, urgent)
    page = _match(walker, page, writer, other, RequestKind.ACCESS)
    url, data = _form(page, "prepared-answer")
    with django_capture_on_commit_callbacks(execute=True):
        walker.post(url, data)

    assert walker.clicks == 3
    urgent.refresh_from_db()
    assert urgent.subject == writer
    assert urgent.kind == RequestKind.ACCESS
    assert urgent.status == RequestStatus.COMPLETED
    [sent] = smtp_sink.received
    names = sorted(part.get_filename() for part in sent.iter_attachments())
    assert names == ["access-report.html", "access-report.pdf"]


def test_an_erasure_request_is_done_in_four_clicks_from_the_desk(
    officer_client, namesakes, smtp_sink, django_capture_on_commit_callbacks
):
    OperatorProfileFactory()
    writer, other = namesakes
    urgent = _request_from_work_address("Менің барлық деректерімді жойыңыз.", days_ago=20)
    walker = Walker(officer_client)

    page = _walk_to_the_request(walker, urgent)
    page = _match(walker, page, writer, other, RequestKind.ERASURE)
    erase = reverse("admin:requests_subjectrequest_act", args=[urgent.pk, "erase"])
    assert f'href="{erase}"' in page  # the action of its kind, now possible
    step = walker.get(erase)
    form = re.search(
        r'<form method="post" enctype="multipart/form-data" novalidate>.*?</form>', step, re.S
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = walker.post(erase, {**_values(form.group(0)), "confirm": "on"})

    assert walker.clicks == 4
    assert "The subject is erased and the answer is on its way." in done
    writer.refresh_from_db()
    other.refresh_from_db()
    assert writer.state == SubjectState.ERASED
    assert other.state != SubjectState.ERASED
    assert len(smtp_sink.received) == 1


def test_the_facts_come_first_with_the_time_left_in_working_days(officer_client, namesakes):
    writer, _other = namesakes
    overdue = request_by_email(
        body="Прошу удалить мои данные.", sender=writer.email,
        when=timezone.now() - timedelta(days=40),
    )  # fmt: skip

    page = officer_client.get(
        reverse("admin:requests_subjectrequest_change", args=[overdue.pk])
    ).content.decode()

    facts = page[page.index('id="request-facts"') :]
    assert facts.index('id="request-facts"') < facts.index('id="subjectrequest_form"')
    deadline = facts[facts.index('id="request-deadline"') :]
    deadline = deadline[: deadline.index("</dd>")]
    assert "overdue by" in deadline
    assert "working days" in deadline
    assert "var(--error-fg)" in deadline  # in colour
    assert "aigerim.k@example.kz, born 1991" in facts  # matched by the sender's address
    assert "incomplete, missing:" in facts
    assert "patronymic" in facts


def test_a_closed_request_offers_nothing(officer_client, officer):
    closed = request_by_email(body="Когда следующее мероприятие?", sender="asel@example.kz")
    request_kind_confirm(subject_request=closed, actor=officer)
    answers.answer_record_posted(subject_request=closed, actor=officer, subject="A", body="B")

    page = officer_client.get(
        reverse("admin:requests_subjectrequest_change", args=[closed.pk])
    ).content.decode()

    assert "/act/" not in page
    assert 'id="prepared-answer"' not in page


def test_a_paused_clock_offers_resume_and_not_pause(officer_client, officer, namesakes):
    writer, _other = namesakes
    paused = request_by_email(body="Прошу заблокировать мои данные.", sender=writer.email)
    request_kind_confirm(subject_request=paused, actor=officer, kind=RequestKind.BLOCKING)
    deadlines.request_pause(subject_request=paused, actor=officer, note="Asked by phone")

    page = officer_client.get(
        reverse("admin:requests_subjectrequest_change", args=[paused.pk])
    ).content.decode()

    act = reverse("admin:requests_subjectrequest_act", args=[paused.pk, "x"])[: -len("x/")]
    assert f"{act}resume/" in page
    assert f"{act}pause/" not in page
    assert f"{act}block/" in page  # what a blocking request calls for
    assert f"{act}withdraw/" not in page
    assert f"{act}erase/" not in page
    assert "The clock is paused: resume it when the requester answers." in page  # the answer


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_the_access_report_pdf_is_in_kazakh_and_holds_only_this_person(
    officer_client, officer, namesakes
):
    OperatorProfileFactory()
    writer, other = namesakes
    request = request_by_email(body="Менің деректерім туралы ақпарат.", sender=writer.email)
    request_kind_confirm(subject_request=request, actor=officer, kind=RequestKind.ACCESS)
    deadlines.request_pause(subject_request=request, actor=officer, note="Rang her, no answer yet")

    response = officer_client.get(
        reverse("admin:requests_subjectrequest_report_pdf", args=[request.pk])
    )

    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Қасымова" in text
    assert "Әйгерім" in text
    assert "Серікқызы" in text
    assert "aigerim.k@example.kz" in text
    assert "Бізде сақталатын дербес деректер туралы ақпарат" in text  # in the subject's language
    assert other.email not in text
    assert "Ерланқызы" not in text
    assert "Personal data" not in text  # no English
    assert "Rang her" not in text  # no internal note
    stored = SubjectRequest.objects.get(pk=request.pk).raw_message.name
    assert stored
    assert stored.rsplit("/", 1)[-1] not in text  # no storage file name (the letter is kept)


def test_the_pdf_shows_the_legal_representative(officer_client, officer):
    from requests.access_report import access_report
    from requests.report_documents import access_report_pdf
    from requests.services.intake import request_update

    child = SubjectFactory(last_name="Сәрсенбай", first_name="Нұрлан", preferred_language="ru")
    request = request_by_email(body="Какие данные моего сына у вас?", sender=child.email)
    request_update(
        subject_request=request, actor=officer, reason="t",
        data={
            "representative_name": "Сәрсенбаева Гүлнар", "representative_relation": "parent",
            "representative_document": "свидетельство о рождении № 1",
            "representative_document_date": date(2015, 3, 2),
        },
    )  # fmt: skip

    text = _pdf_text(
        access_report_pdf(access_report(subject=child, language="ru"), request_number=request.pk)
    )

    assert "Сәрсенбаева Гүлнар" in text
    assert "Нұрлан" in text


def test_the_json_of_the_report_goes_only_when_asked_for(
    officer_client, officer, namesakes, smtp_sink, django_capture_on_commit_callbacks
):
    OperatorProfileFactory()
    writer, _other = namesakes
    request = request_by_email(body="Мои данные в машиночитаемом виде.", sender=writer.email)
    request_kind_confirm(subject_request=request, actor=officer, kind=RequestKind.ACCESS)
    url, data = _form(
        officer_client.get(
            reverse("admin:requests_subjectrequest_change", args=[request.pk])
        ).content.decode(),
        "prepared-answer",
    )

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(url, {**data, "with_json": "on"})

    [sent] = smtp_sink.received
    names = sorted(part.get_filename() for part in sent.iter_attachments())
    assert names == ["access-report.html", "access-report.json", "access-report.pdf"]


def test_the_match_page_tells_namesakes_apart_and_finds_anyone_else(
    officer_client, officer, namesakes
):
    namesakes  # noqa: B018 (two namesakes in the register)
    stranger = SubjectFactory(last_name="Ли", first_name="Виктор", email="v.li@example.kz")
    request = _request_from_work_address("Менің деректерімді көрсетіңіз.", days_ago=1)
    match = reverse("admin:requests_subjectrequest_act", args=[request.pk, "match"])

    page = officer_client.get(match).content.decode()

    assert "aigerim.k@example.kz, born 1991" in page
    assert "kasymova.a@example.com, born 1978" in page
    assert "v.li@example.kz" not in page  # only the people the letter names are listed
    assert "admin/js/autocomplete.js" in page  # the register's search for anyone else
    response = officer_client.post(match, {"kind": RequestKind.ACCESS, "other": stranger.pk})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.subject == stranger
    assert request.kind_confirmed
    assert request.actions.filter(kind="kind_confirmed").exists()


def test_an_erased_person_is_not_offered(officer_client, officer, namesakes):
    from erasure.services import subject_erase

    _writer, other = namesakes
    subject_erase(subject=other, actor=officer, reason="t")
    request = _request_from_work_address("Менің деректерімді көрсетіңіз.", days_ago=1)

    page = officer_client.get(
        reverse("admin:requests_subjectrequest_change", args=[request.pk])
    ).content.decode()

    assert "aigerim.k@example.kz, born 1991" in page
    assert "born 1978" not in page


def test_a_withdrawal_is_done_in_four_clicks_from_the_desk(
    officer_client, namesakes, smtp_sink, django_capture_on_commit_callbacks
):
    """A withdrawal: the request (1), its kind and subject (2), "Withdraw consents" in place with
    the consents its kind calls for ticked (3), the prepared answer (4)."""
    from consents.models import ConsentState
    from tests.consents.factories import ConsentFactory, purpose

    OperatorProfileFactory()
    writer, other = namesakes
    newsletter = ConsentFactory(subject=writer, purpose=purpose("newsletter"))
    others = ConsentFactory(subject=other, purpose=purpose("newsletter"))
    urgent = _request_from_work_address(
        "Маған жарнамалық хаттар жібермеңіз, келісімімді кері қайтарамын.", days_ago=20
    )
    walker = Walker(officer_client)

    page = _walk_to_the_request(walker, urgent)
    page = _match(walker, page, writer, other, RequestKind.UNSUBSCRIBE)
    url, data = _form(page, "in-place-withdraw")
    ticked = re.search(r'id="in-place-withdraw".*?</form>', page, re.S).group(0)
    assert f'value="{newsletter.purpose_id}"' in ticked
    assert "checked" in ticked
    page = walker.post(url, {**data, "purposes": [newsletter.purpose_id]})
    url, data = _form(page, "prepared-answer")
    with django_capture_on_commit_callbacks(execute=True):
        walker.post(url, data)

    assert walker.clicks == 4
    newsletter.refresh_from_db()
    others.refresh_from_db()
    assert newsletter.state == ConsentState.WITHDRAWN
    assert others.state == ConsentState.GIVEN
    urgent.refresh_from_db()
    assert urgent.status == RequestStatus.COMPLETED
    assert len(smtp_sink.received) == 1

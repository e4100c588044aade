"""The request admin: list and dashboard in constant queries, one-click actions, reports, files."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from common.models import CalendarDay
from common.workdays import ALMATY
from requests.models import (
    ActionKind,
    AnswerTemplate,
    RequestChannel,
    RequestKind,
    RequestStatus,
    SubjectRequest,
    UnreadableMessage,
)
from requests.selectors import due_horizon, today_in_almaty
from requests.services import fulfilment
from requests.services.intake import message_ingest, request_kind_confirm
from subjects.models import SubjectState
from tests.consents.factories import ConsentFactory, purpose
from tests.organisation.factories import OperatorProfileFactory
from tests.queries import page_queries
from tests.requests.factories import request_by_email
from tests.subjects.factories import SubjectFactory

CHANGELIST = "admin:requests_subjectrequest_changelist"


def _change(subject_request) -> str:
    return reverse("admin:requests_subjectrequest_change", args=[subject_request.pk])


def _act(subject_request, action: str) -> str:
    return reverse("admin:requests_subjectrequest_act", args=[subject_request.pk, action])


def _deadline_box(response) -> dict:
    """The desk's request box as its template received it."""
    boxes = (context.get("box") for context in response.context)
    return next(box for box in boxes if box and box["id"] == "request-deadlines")


def _deadline_counts(response) -> dict[str, int | str]:
    """The request box's counts by the filter each row links to."""
    return {row.link.partition("?")[2]: row.count for row in _deadline_box(response)["rows"]}


def _received_days_ago(days: int, body: str = "Прошу удалить мои данные.", **kwargs):
    moment = timezone.now() - timedelta(days=days)
    return request_by_email(body=body, when=moment, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["", "?due=overdue", "?due=week", "?complete=no", "?kind_confirmed=no", "?q=kim"]
)
def test_the_request_list_costs_the_same_queries_for_two_rows_and_for_twelve(officer_client, query):
    for _ in range(2):
        _received_days_ago(10, sender=f"Асель Ким <a{SubjectRequest.objects.count()}@example.kz>")
    few = page_queries(officer_client, reverse(CHANGELIST) + query)

    for _ in range(10):
        _received_days_ago(10, sender=f"Асель Ким <a{SubjectRequest.objects.count()}@example.kz>")
    many = page_queries(officer_client, reverse(CHANGELIST) + query)

    assert many == few <= 9  # two more with the date hierarchy it had


@pytest.mark.django_db
def test_the_due_filter_shows_the_overdue_requests(officer_client):
    overdue = _received_days_ago(30)
    fresh = _received_days_ago(
        0, body="Какие мои данные у вас хранятся? Прошу предоставить информацию."
    )

    response = officer_client.get(reverse(CHANGELIST) + "?due=overdue")

    shown = set(response.context["cl"].result_list)
    assert overdue in shown
    assert fresh not in shown


@pytest.mark.django_db
def test_the_dashboard_counts_overdue_today_and_this_week_in_constant_queries(officer_client):
    horizon = due_horizon()
    _received_days_ago(30)  # erasure due long ago
    officer_client.get(reverse("admin:index"))  # the first load fills the caches (the charts)
    few = page_queries(officer_client, reverse("admin:index"))
    for _ in range(5):
        _received_days_ago(30)
    many = page_queries(officer_client, reverse("admin:index"))

    response = officer_client.get(reverse("admin:index"))
    counts = _deadline_counts(response)
    assert many == few
    assert counts["due=overdue"] == 6
    week_row = _deadline_box(response)["rows"][3]
    assert date_format(horizon.week_end, "DATE_FORMAT") in week_row.label
    page = response.content.decode()
    assert "?due=overdue" in page
    assert "?due=today" in page
    assert "?due=week" in page


@pytest.mark.django_db
def test_due_this_week_is_counted_in_working_days(officer_client):
    # A request due exactly five working days after today is in "this week"; one due later is not.
    today = today_in_almaty()
    horizon = due_horizon(today=today)
    inside = _received_days_ago(
        0, body="Какие мои данные у вас хранятся? Прошу предоставить информацию."
    )
    fulfilment_rule_days = (horizon.week_end - today).days
    assert fulfilment_rule_days >= 5  # five working days never take fewer calendar days

    response = officer_client.get(reverse("admin:index"))

    counts = _deadline_counts(response)
    inside.refresh_from_db()
    expected_week = 1 if today < inside.due_date <= horizon.week_end else 0
    assert counts["due=week"] == expected_week
    assert counts["kind_confirmed=no"] == 1


@pytest.mark.django_db
def test_the_request_page_offers_what_the_request_calls_for_and_why_some_wait(officer_client):
    subject_request = request_by_email(
        body="Прошу удалить мои данные.", sender="Асель Ким <asel@example.kz>"
    )

    response = officer_client.get(_change(subject_request))

    page = response.content.decode()
    assert response.status_code == 200
    actions = page[page.index('id="request-actions"') :]
    buttons, folded = actions[: actions.index("<details")], actions[actions.index("<details") :]
    folded = folded[: folded.index("</details>")]
    # The kind and the subject confirmed in one step; the buttons of an incomplete request.
    assert _act(subject_request, "match") in page
    for action in ("refuse", "ask_information"):
        assert _act(subject_request, action) in buttons
    # Steps any request may take, asked for by few: folded under "Other steps".
    for action in ("extend", "pause", "public_removal"):
        assert _act(subject_request, action) in folded
    # What another kind or state calls for, or what can't be done yet, is not offered.
    for action in ("confirm_kind", "rectify", "block", "unblock", "withdraw",
                   "open_incident", "answer_posted", "resume", "erase"):  # fmt: skip
        assert _act(subject_request, action) not in page, action
    # Erasure, the action of this kind, is shown disabled with its reason; so is the answer.
    assert "Match the request to a data subject first." in page
    assert "Confirm the kind of the request first." in page
    assert "Incomplete request: prepared reply" in page  # no patronymic in the letter


@pytest.mark.django_db
def test_the_request_page_opens_when_the_reply_template_is_gone(officer_client):
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender="asel@example.kz")
    AnswerTemplate.objects.filter(key="incomplete").delete()

    response = officer_client.get(_change(subject_request))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Incomplete request: prepared reply" not in page
    assert "There is no answer template for “incomplete”" in page


@pytest.mark.django_db
def test_the_request_page_queries_do_not_grow_with_its_actions(officer_client, officer):
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender="asel@example.kz")
    few = page_queries(officer_client, _change(subject_request))
    for days in range(1, 6):
        fulfilment.request_refuse(
            subject_request=subject_request, actor=officer, reason=f"Reason {days}"
        )
    many = page_queries(officer_client, _change(subject_request))

    assert many == few


@pytest.mark.django_db
def test_confirming_the_kind_from_the_page(officer_client, officer):
    subject_request = request_by_email(
        body="Когда следующее мероприятие?", sender="asel@example.kz"
    )
    assert officer_client.get(_act(subject_request, "confirm_kind")).status_code == 200

    response = officer_client.post(
        _act(subject_request, "confirm_kind"), {"kind": RequestKind.COMPLAINT}
    )

    assert response.status_code == 302
    subject_request.refresh_from_db()
    assert (subject_request.kind, subject_request.kind_confirmed_by) == (
        RequestKind.COMPLAINT,
        officer,
    )


@pytest.mark.django_db
def test_the_list_action_confirms_the_kind_of_open_unconfirmed_requests(officer_client, officer):
    waiting = request_by_email(body="Прошу удалить мои данные.", sender="asel@example.kz")
    confirmed = request_by_email(body="Когда следующее мероприятие?", sender="bota@example.kz")
    request_kind_confirm(subject_request=confirmed, actor=officer, kind=RequestKind.COMPLAINT)

    response = officer_client.post(
        reverse(CHANGELIST),
        {"action": "confirm_kind", "_selected_action": [waiting.pk, confirmed.pk]},
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.kind_confirmed_by == officer
    assert waiting.actions.filter(kind=ActionKind.KIND_CONFIRMED).count() == 1
    assert confirmed.actions.filter(kind=ActionKind.KIND_CONFIRMED).count() == 1


@pytest.mark.django_db
def test_an_extension_without_a_reason_is_refused_on_the_page(officer_client):
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender="asel@example.kz")

    response = officer_client.post(_act(subject_request, "extend"), {"days": "2", "reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    subject_request.refresh_from_db()
    assert subject_request.extension_days == 0


@pytest.mark.django_db
def test_blocking_from_the_page_blocks_the_subject(officer_client, officer):
    subject = SubjectFactory(email="asel@example.kz")
    subject_request = request_by_email(
        body="Прошу заблокировать мои данные.", sender="asel@example.kz"
    )

    response = officer_client.post(_act(subject_request, "block"), {})

    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.state == SubjectState.BLOCKED
    assert subject_request.actions.filter(kind=ActionKind.BLOCKED, actor=officer).exists()


@pytest.mark.django_db
def test_withdrawal_from_the_page_offers_the_live_consents(officer_client):
    subject = SubjectFactory(email="asel@example.kz")
    newsletter = ConsentFactory(subject=subject, purpose=purpose("newsletter"))
    subject_request = request_by_email(body="Отпишите меня от рассылки.", sender="asel@example.kz")
    request_kind_confirm(subject_request=subject_request, actor=None)

    page = officer_client.get(_act(subject_request, "withdraw"))
    assert list(page.context["form"].initial["purposes"]) == [
        newsletter.purpose
    ]  # unsubscribe: marketing
    officer_client.post(_act(subject_request, "withdraw"), {"purposes": [newsletter.purpose.pk]})

    newsletter.refresh_from_db()
    assert newsletter.state == "withdrawn"


@pytest.mark.django_db
def test_rectifying_from_the_page(officer_client):
    subject = SubjectFactory(email="asel@example.kz", city="Алматы", source="email")
    subject_request = request_by_email(body="Прошу исправить мой город.", sender="asel@example.kz")
    form = officer_client.get(_act(subject_request, "rectify")).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(city="Астана", country="", birth_date="")

    response = officer_client.post(_act(subject_request, "rectify"), data)

    assert response.status_code == 302, response.context["form"].errors
    subject.refresh_from_db()
    assert subject.city == "Астана"


@pytest.mark.django_db
def test_sending_the_answer_from_the_page(
    officer_client, smtp_sink, django_capture_on_commit_callbacks
):
    OperatorProfileFactory()
    subject_request = request_by_email(
        body="Когда следующее мероприятие?", sender="asel@example.kz"
    )
    request_kind_confirm(subject_request=subject_request, actor=None)
    initial = officer_client.get(_act(subject_request, "answer")).context["form"].initial

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            _act(subject_request, "answer"), {"subject": initial["subject"], "body": "Our answer."}
        )

    assert response.status_code == 302
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.COMPLETED
    assert [m.get_body(("plain",)).get_content().strip() for m in smtp_sink.received] == [
        "Our answer."
    ]


@pytest.mark.django_db
def test_a_closed_request_offers_no_action(officer_client, officer):
    subject_request = request_by_email(
        body="Когда следующее мероприятие?", sender="asel@example.kz"
    )
    request_kind_confirm(subject_request=subject_request, actor=officer)
    from requests.services.answers import answer_record_posted

    answer_record_posted(subject_request=subject_request, actor=officer, subject="A", body="B")

    response = officer_client.get(_act(subject_request, "refuse"), follow=True)
    assert "request is closed" in response.content.decode()


@pytest.mark.django_db
def test_staff_register_a_letter_in_the_admin(client, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:requests_subjectrequest_add")
    assert client.get(url).status_code == 200

    response = client.post(url, {
        "kind": RequestKind.ACCESS, "channel": RequestChannel.LETTER,
        "received_at_0": "2026-03-19", "received_at_1": "15:00:00", "language": "ru",
        "requester_last_name": "Ким", "requester_first_name": "Асель",
        "requester_patronymic": "Маратовна", "reply_postal_address": "Алматы, Абая 1",
        "content": "Прошу сообщить, какие мои данные у вас есть.", "change_reason": "Letter",
    })  # fmt: skip

    assert response.status_code == 302, response.context["adminform"].form.errors
    subject_request = SubjectRequest.objects.get()
    assert subject_request.kind_confirmed_by == staff_user
    assert subject_request.received_at == datetime(2026, 3, 19, 15, 0, tzinfo=ALMATY)
    assert subject_request.due_date == date(2026, 3, 27)
    assert subject_request.history.get().history_change_reason == "Letter"


@pytest.mark.django_db
def test_editing_a_request_goes_through_the_service(officer_client, officer):
    subject_request = request_by_email(
        body="Когда следующее мероприятие?", sender="asel@example.kz"
    )
    form = officer_client.get(_change(subject_request)).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        requester_patronymic="Маратовна", change_reason="Phone call", kind=RequestKind.COMPLAINT
    )
    for prefix in ("actions", "pauses", "public_removals", "attachments"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = officer_client.post(_change(subject_request), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    subject_request.refresh_from_db()
    assert subject_request.requester_patronymic == "Маратовна"
    assert subject_request.kind == RequestKind.COMPLAINT
    assert (
        subject_request.kind_confirmed_by == officer
    )  # choosing another kind on the page confirms it
    assert subject_request.history.latest().history_change_reason == "Phone call"


@pytest.mark.django_db
def test_the_access_report_page_and_json_in_the_subjects_language(officer_client):
    subject = SubjectFactory(email="asel@example.kz", preferred_language="kk")
    ConsentFactory(subject=subject, purpose=purpose("newsletter"))
    subject_request = request_by_email(
        body="Менің қандай деректерім бар?", sender="asel@example.kz"
    )

    page = officer_client.get(
        reverse("admin:requests_subjectrequest_report", args=[subject_request.pk])
    )
    data = officer_client.get(
        reverse("admin:requests_subjectrequest_report_json", args=[subject_request.pk])
    )

    assert page.status_code == 200
    assert '<html lang="kk">' in page.content.decode()
    assert purpose("newsletter").name_kk in page.content.decode()
    assert data.json()["language"] == "kk"
    assert (
        data["Content-Disposition"]
        == f'attachment; filename="access-report-{subject_request.pk}.json"'
    )


@pytest.mark.django_db
def test_the_original_message_is_downloaded_only_by_those_who_may_see_requests(
    officer_client, client, no_role_user, samples
):
    subject_request = message_ingest(
        raw=(samples / "access_request_kk.eml").read_bytes(), source="t"
    ).request
    url = reverse("admin:requests_subjectrequest_raw", args=[subject_request.pk])
    attachment_url = reverse(
        "admin:requests_subjectrequest_attachment", args=[subject_request.attachments.get().pk]
    )

    response = officer_client.get(url)
    assert b"".join(response.streaming_content) == (samples / "access_request_kk.eml").read_bytes()
    assert officer_client.get(attachment_url).status_code == 200

    client.force_login(no_role_user)
    assert client.get(url).status_code in (403, 404)
    assert client.get(attachment_url).status_code in (403, 404)


@pytest.mark.django_db
def test_unreadable_messages_are_listed_for_staff_and_can_be_downloaded(client, staff_user):
    message_ingest(raw=b"Subject: ???\r\n\r\nbroken", source="box#7")
    kept = UnreadableMessage.objects.get()
    client.force_login(staff_user)

    listing = client.get(reverse("admin:requests_unreadablemessage_changelist"))
    raw = client.get(reverse("admin:requests_unreadablemessage_raw", args=[kept.pk]))

    assert listing.status_code == 200
    assert "box#7" in listing.content.decode()
    assert b"broken" in b"".join(raw.streaming_content)


@pytest.mark.django_db
def test_the_officer_edits_templates_and_a_broken_one_is_refused(officer_client):
    template = AnswerTemplate.objects.get(key="other", language="en")
    url = reverse("admin:requests_answertemplate_change", args=[template.pk])

    data = {"subject_template": "Answer {{ number }}", "body_template": "{% if %}"}
    response = officer_client.post(url, {**data, "change_reason": "typo"})

    assert response.status_code == 200
    assert "body_template" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_the_officer_enters_a_decree_day_in_the_calendar(officer_client, officer):
    url = reverse("admin:common_calendarday_add")

    response = officer_client.post(url, {
        "date": "2026-11-28", "kind": "working_day", "note": "Decree No. 1 (example)",
        "change_reason": "decree",
    })  # fmt: skip

    assert response.status_code == 302
    day = CalendarDay.objects.get()
    assert day.history.get().history_user == officer
    assert page_queries(officer_client, reverse("admin:common_calendarday_changelist")) <= 12


@pytest.mark.django_db
def test_staff_can_see_but_not_change_the_deadline_rules(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("admin:requests_deadlinerule_changelist")).status_code == 200
    rule_url = reverse("admin:requests_deadlinerule_change", args=[1])
    response = client.post(rule_url, {"days": "9", "unit": "working_days", "change_reason": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_officer_erases_from_the_request_page_and_the_answer_goes_out(
    officer_client, officer, smtp_sink, django_capture_on_commit_callbacks
):
    OperatorProfileFactory()
    subject = SubjectFactory(email="asel@example.kz", preferred_language="ru")
    subject_request = request_by_email(
        body="Прошу удалить все мои данные.", sender="asel@example.kz"
    )
    request_kind_confirm(subject_request=subject_request, actor=officer)
    initial = officer_client.get(_act(subject_request, "erase")).context["form"].initial

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            _act(subject_request, "erase"),
            {"subject": initial["subject"], "body": initial["body"], "confirm": "on"},
        )

    assert response.status_code == 302
    subject.refresh_from_db()
    subject_request.refresh_from_db()
    assert subject.state == SubjectState.ERASED
    assert subject_request.status == RequestStatus.COMPLETED
    assert subject_request.reply_email == ""
    assert smtp_sink.envelopes[0][1] == ["asel@example.kz"]


@pytest.mark.django_db
def test_staff_see_the_erase_action_disabled(client, staff_user):
    SubjectFactory(email="asel@example.kz")
    subject_request = request_by_email(
        body="Прошу удалить все мои данные.", sender="asel@example.kz"
    )
    client.force_login(staff_user)

    page = client.get(_change(subject_request)).content.decode()

    assert "Only the privacy officer may erase a subject." in page
    assert (
        client.get(_act(subject_request, "erase")).status_code == 302
    )  # sent back with the reason


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_the_request_list_rows_are_those_django_would_write(officer_client, officer, language):
    """The rows written in one pass (requests.admin.rows) are Django's cell for cell."""
    from django.contrib import admin
    from django.contrib.admin.templatetags.admin_list import items_for_result
    from django.template import engines
    from django.test import RequestFactory
    from django.utils import translation

    from requests.admin.rows import request_rows

    SubjectFactory(email="asel@example.kz")
    matched = request_by_email(
        body="Прошу удалить <мои> данные.", sender="Асель Ким <asel@example.kz>"
    )
    request_kind_confirm(subject_request=matched, actor=officer)
    SubjectRequest.objects.filter(pk=matched.pk).update(assignee=officer)
    request_by_email(body="Когда?", sender="x&y@example.kz")
    http = RequestFactory().get(reverse(CHANGELIST), {"status__exact": "received"})
    http.user = officer
    model_admin = admin.site._registry[SubjectRequest]
    engine = engines["django"]
    with translation.override(language):
        cl = model_admin.get_changelist_instance(http)
        cl.formset = None  # as changelist_view leaves a list without inline editing
        ours = request_rows(cl)
        django = [list(items_for_result(cl, obj, None)) for obj in cl.result_list]
        context = {"cl": cl, "opts": cl.opts}
        table = engine.from_string("{% load request_list %}{% request_results cl %}")
        djangos_table = engine.from_string("{% load admin_list %}{% result_list cl %}")
        printed, djangos_printed = table.render(context), djangos_table.render(context)

    assert len(ours) == 2
    assert ours == django
    assert printed == djangos_printed  # each row handed to the template as one string

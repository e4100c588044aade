"""The day's work in a real browser: each flow as a person does it, a screenshot per step.

Pages are driven by the words and roles a person sees (links, buttons, labels), not by the
markup of a page, so that a redesign of a page keeps its test.
"""

import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from consents.models import ConsentState
from consents.unsubscribe import unsubscribe_token
from imports.models import ImportRun
from requests.models import RequestStatus
from subjects.models import Subject, SubjectState
from tests.browser.conftest import log_in
from tests.consents.factories import ConsentFactory, purpose
from tests.imports.conftest import sample
from tests.organisation.factories import OperatorProfileFactory
from tests.requests.factories import request_by_email
from tests.subjects.factories import SubjectFactory


def test_log_in_with_password_and_code_and_land_on_the_desk(page, officer, settings, shot):
    settings.OTP_REQUIRED = True

    log_in(page, officer, shot)

    shot("desk", readme="desk")
    expect(page.get_by_role("button", name=re.compile("log out", re.I))).to_be_visible()


def test_a_request_from_intake_to_the_sent_answer(officer_page, shot):
    page = officer_page
    OperatorProfileFactory()
    request = request_by_email(body="Когда следующее мероприятие?", sender="asel@example.kz")
    page.goto("/admin/")
    shot("desk-with-the-request")

    page.get_by_role("link", name=f"#{request.pk}").first.click()
    shot("request", readme="request")
    page.get_by_role("button", name="Confirm", exact=True).click()  # the kind, on the page
    page.locator("#prepared-answer").scroll_into_view_if_needed()  # the answer, on the page
    shot("kind-confirmed-and-the-prepared-answer")
    page.get_by_role("button", name="Send the answer").click()
    shot("answer-sent")

    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    assert [message.to for message in mail.outbox] == [["asel@example.kz"]]


def test_importing_a_list_with_preview_and_confirmation(officer_page, shot):
    page = officer_page
    page.goto(reverse("admin:imports_importrun_changelist"))
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File to import").set_input_files(sample("volunteers_kk_utf8_bom.csv"))
    page.get_by_label("Purpose the people consented to").select_option(str(purpose().pk))
    shot("import-form")
    page.get_by_role("button", name="Submit").click()
    shot("preview", readme="import-preview")
    assert Subject.objects.count() == 0  # a preview writes nothing

    page.get_by_role("button", name="Confirm import").click()
    shot("imported")

    assert Subject.objects.count() == 6
    assert ImportRun.objects.get().created == 6


def test_a_subject_and_its_history(officer_page, shot):
    page = officer_page
    ConsentFactory(subject__last_name="Сарсенбаев", subject__first_name="Даулет")
    page.goto(reverse("admin:subjects_subject_changelist"))
    page.get_by_role("searchbox").fill("Сарсенбаев")
    page.get_by_role("searchbox").press("Enter")
    shot("search")
    page.get_by_role("link", name=re.compile("Сарсенбаев")).first.click()
    shot("subject")
    page.get_by_role("link", name="History").first.click()
    shot("history")

    assert "Сарсенбаев" in page.content()


def test_editing_a_subject_from_its_page_with_the_keyboard(officer_page, shot, officer):
    page = officer_page
    subject = SubjectFactory(last_name="Жұмабаев", city="Алматы")
    page.goto(reverse("admin:subjects_subject_change", args=[subject.pk]))
    shot("subject-read")
    expect(page.get_by_label("City")).to_have_count(0)  # read: the fields are text

    page.get_by_role("link", name="Edit", exact=True).first.focus()
    page.keyboard.press("Enter")
    page.get_by_label("City").fill("Астана")
    page.get_by_label("Reason for this change").fill("Letter of 3 March")
    shot("subject-form")
    page.get_by_label("Reason for this change").press("Enter")  # the form's default: Save
    shot("saved")

    subject.refresh_from_db()
    latest = subject.history.first()
    assert (subject.city, latest.history_user) == ("Астана", officer)
    assert latest.history_change_reason == "Letter of 3 March"


def test_unsubscribing_through_the_public_link(page, shot):
    OperatorProfileFactory()
    consent = ConsentFactory(purpose=purpose("newsletter"), subject__preferred_language="kk")
    token = unsubscribe_token(subject=consent.subject, purpose=consent.purpose)
    page.goto(reverse("unsubscribe", args=[token]))
    shot("unsubscribe-page")

    page.locator("form").get_by_role("button").click()
    shot("unsubscribed")

    consent.refresh_from_db()
    assert consent.state == ConsentState.WITHDRAWN


def test_erasing_a_subject(officer_page, shot):
    page = officer_page
    subject = SubjectFactory(last_name="Өмірбек", first_name="Айдана")
    page.goto(reverse("admin:subjects_subject_changelist"))
    page.get_by_role("row", name=re.compile("Өмірбек")).get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile("Action")).select_option(
        label="Erase the selected subjects (irreversible)"
    )
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Reason").fill("Request by letter of 2 December")
    page.get_by_label("I understand that the erasure cannot be undone.").check()
    shot("erase-confirmation")
    page.get_by_role("button", name="Confirm").click()
    shot("erased")

    subject.refresh_from_db()
    assert subject.state == SubjectState.ERASED


def test_switching_languages(officer_page, shot):
    page = officer_page
    page.goto(reverse("admin:subjects_subject_changelist"))

    page.get_by_role("button", name="KK").click()
    shot("kk", readme="subjects-kk")
    assert page.locator("html").get_attribute("lang") == "kk"
    expect(page.get_by_role("button", name="Шығу")).to_be_visible()

    page.goto(reverse("admin:consents_consent_add"))  # a search-as-you-type picker, in Kazakh
    page.locator(".field-subject .select2-selection").click()
    page.locator(".select2-search__field").fill("Жоқадам")
    expect(page.get_by_text("Ештеңе табылмады")).to_be_visible()
    shot("picker-kk")

    page.get_by_role("button", name="RU").click()
    shot("ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()

    page.get_by_role("button", name="EN").click()
    assert page.locator("html").get_attribute("lang") == "en"

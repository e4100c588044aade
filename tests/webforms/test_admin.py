"""The admin of the Tilda webhook: pages render in bounded queries, actions call their service."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.queries import page_queries
from webforms.models import SubmissionState, TildaForm, TildaSubmission

from .conftest import make_form, post, process_again


def _submissions(client, n: int) -> None:
    start = TildaSubmission.objects.count()
    for i in range(start, start + n):
        formid = "form612345678" if i % 2 else "form000000001"
        fields = {"Name": f"Дана Сәрсенова{i}", "Email": f"dana{i}@example.kz", "Checkbox": "yes",
                  "formid": formid, "tranid": f"1:{i}"}  # fmt: skip
        post(client, urlencode(fields).encode())


@pytest.mark.django_db
@pytest.mark.parametrize("model", [TildaSubmission, TildaForm], ids=lambda m: m.__name__)
def test_changelists_render_in_queries_that_do_not_grow_with_rows(
    model, tilda, volunteer_form, officer_client
):
    url = reverse(f"admin:webforms_{model._meta.model_name}_changelist")
    _submissions(tilda, 2)
    make_form("form000000002", None)
    few = page_queries(officer_client, url)

    _submissions(tilda, 10)
    make_form("form000000003", None)
    many = page_queries(officer_client, url)

    assert many == few
    assert many <= 12


@pytest.mark.django_db
def test_submissions_are_listed_per_form_and_state(tilda, volunteer_form, officer_client):
    _submissions(tilda, 4)
    url = reverse("admin:webforms_tildasubmission_changelist")

    waiting = officer_client.get(url, {"state": SubmissionState.NEEDS_MAPPING})
    done = officer_client.get(url, {"form__id__exact": volunteer_form.pk})

    assert waiting.context["cl"].result_count == 2
    assert done.context["cl"].result_count == 2
    assert {s.state for s in done.context["cl"].result_list} == {SubmissionState.PROCESSED}


@pytest.mark.django_db
def test_pages_render_and_nobody_adds_or_deletes_a_submission(
    tilda, volunteer_form, officer_client
):
    _submissions(tilda, 2)
    submission = TildaSubmission.objects.filter(state=SubmissionState.PROCESSED).get()

    page = officer_client.get(
        reverse("admin:webforms_tildasubmission_change", args=[submission.pk])
    )
    history = officer_client.get(
        reverse("admin:webforms_tildasubmission_history", args=[submission.pk])
    )

    assert page.status_code == history.status_code == 200
    assert "Дана Сәрсенова" in page.content.decode()
    assert officer_client.get(reverse("admin:webforms_tildasubmission_add")).status_code == 403
    delete = reverse("admin:webforms_tildasubmission_delete", args=[submission.pk])
    assert officer_client.get(delete).status_code == 403
    form_page = reverse("admin:webforms_tildaform_change", args=[volunteer_form.pk])
    assert officer_client.get(form_page).status_code == 200
    assert officer_client.get(reverse("admin:webforms_tildaform_add")).status_code == 200


@pytest.mark.django_db
def test_the_auditor_cannot_run_the_actions(tilda, volunteer_form, client, auditor):
    _submissions(tilda, 1)
    submission = TildaSubmission.objects.get()
    client.force_login(auditor)
    url = reverse("admin:webforms_tildasubmission_changelist")

    page = client.get(url)
    response = process_again(client, submission)

    assert page.status_code == 200
    assert "process_again" not in page.content.decode()
    assert response.status_code == 200  # Django answers an unknown action with the list again
    assert TildaSubmission.objects.get().history.count() == submission.history.count()


@pytest.mark.django_db
def test_staff_may_run_the_submissions_again(tilda, client, staff_user, consent_text):
    _submissions(tilda, 1)  # an unmapped form: it waits
    submission = TildaSubmission.objects.get()
    make_form(submission.formid, consent_text, Checkbox="feedback")
    client.force_login(staff_user)

    response = process_again(client, submission)

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PROCESSED
    assert submission.history.latest().history_user == staff_user


@pytest.mark.django_db
def test_the_index_counts_what_waits_for_staff(tilda, officer_client, settings,
                                               django_assert_max_num_queries):  # fmt: skip
    from datetime import timedelta

    from django.utils import timezone

    from common.history import save_with_history

    settings.TILDA_WEBHOOK_APPLY_AFTER_RESPONSE = False  # stored, never applied
    post(tilda, urlencode({"Email": "a@example.kz", "formid": "f1", "tranid": "1"}).encode())
    post(tilda, b"\xff")
    stale = TildaSubmission.objects.get(formid="f1")
    stale.received_at = timezone.now() - timedelta(minutes=20)
    save_with_history(stale, actor=None, reason="test: an old one")

    with django_assert_max_num_queries(25):
        page = officer_client.get(reverse("admin:index"))

    box = page.content.decode().split('id="tilda-waiting"')[1].split("</table>")[0]
    assert "Submissions not applied for 15 minutes" in box
    assert ">1</strong>" in box  # the stale one
    assert "?state=received" in box

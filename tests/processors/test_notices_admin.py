"""Transfer notices from the admin: made by a processor's save, listed, settled, on the desk."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from processors.models import NoticeState, Processor, TransferNotice
from tests.consents.factories import ConsentFactory, purpose
from tests.processors.factories import DisclosureFactory, ProcessorFactory

NOTICES = "admin:processors_transfernotice_changelist"


def _asking(**subject_fields):
    return ConsentFactory(
        purpose=purpose("newsletter"),
        notify_of_transfer=True,
        **{f"subject__{k}": v for k, v in subject_fields.items()},
    ).subject


def _processor_form(**overrides):
    return {
        "legal_name": "Mail Delivery Ltd",
        "registration_number": "",
        "country": "DE",
        "contact": "",
        "services": ["email_delivery"],
        "actions": ["store", "use"],
        "purposes": [],
        "data_categories": ["email"],
        "agreement_number": "",
        "agreement_date": "",
        "active_from": "",
        "active_to": "",
        "change_reason": "New mailing service",
        **overrides,
    }


@pytest.mark.django_db
def test_a_processor_given_a_purpose_in_the_admin_owes_notices_and_says_so(officer_client):
    subject = _asking()
    processor = ProcessorFactory(legal_name="Mail Delivery Ltd", country="DE")
    url = reverse("admin:processors_processor_change", args=[processor.pk])

    response = officer_client.post(url, _processor_form(purposes=[purpose("newsletter").pk]))

    assert response.status_code == 302, response.content.decode()
    notice = TransferNotice.objects.get()
    assert (notice.subject, notice.processor, notice.cross_border) == (subject, processor, True)
    assert any("told of this transfer" in str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.django_db
def test_a_new_processor_added_in_the_admin_owes_notices(officer_client):
    _asking()

    response = officer_client.post(
        reverse("admin:processors_processor_add"),
        _processor_form(purposes=[purpose("newsletter").pk]),
    )

    assert response.status_code == 302, response.content.decode()
    assert TransferNotice.objects.get().processor == Processor.objects.get()


@pytest.mark.django_db
def test_the_list_filters_overdue_notices_and_the_desk_counts_them(officer_client):
    DisclosureFactory(subjects=[_asking(), _asking()])
    late, _due = TransferNotice.objects.order_by("pk")
    TransferNotice.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )

    page = officer_client.get(reverse(NOTICES) + "?due=overdue")
    desk = officer_client.get(reverse("admin:index"))

    assert list(page.context["cl"].result_list) == [late]
    box = desk.text.split('id="transfer-notices"')[1].split("</table>")[0]
    assert '<strong style="color: var(--error-fg);">1</strong>' in box
    assert "<td>2</td>" in box
    assert reverse(NOTICES) + "?due=overdue" in desk.text


@pytest.mark.django_db
def test_the_send_action_e_mails_and_refuses_a_subject_without_an_address(
    officer_client, officer, mailoutbox, django_capture_on_commit_callbacks
):
    DisclosureFactory(subjects=[_asking(email="a@example.kz"), _asking(email=None)])
    with_address, without = TransferNotice.objects.order_by("pk")

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse(NOTICES),
            {"action": "send_by_email", "_selected_action": [with_address.pk, without.pk]},
        )

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["a@example.kz"]]
    with_address.refresh_from_db()
    without.refresh_from_db()
    assert (with_address.state, with_address.sent_by) == (NoticeState.SENT, officer)
    assert without.state == NoticeState.PENDING
    assert any("no e-mail address" in str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.django_db
def test_the_cancel_action_asks_why_first(officer_client):
    DisclosureFactory(subjects=[_asking()])
    notice = TransferNotice.objects.get()
    chosen = {"action": "cancel", "_selected_action": [notice.pk]}

    page = officer_client.post(reverse(NOTICES), chosen)
    assert page.status_code == 200
    assert TransferNotice.objects.get().state == NoticeState.PENDING

    done = officer_client.post(
        reverse(NOTICES), {**chosen, "confirm": "yes", "reason": "An investigation"}
    )

    assert done.status_code == 302
    notice.refresh_from_db()
    assert (notice.state, notice.note) == (NoticeState.CANCELLED, "An investigation")


@pytest.mark.django_db
def test_the_consent_form_offers_the_condition(officer_client):
    page = officer_client.get(reverse("admin:consents_consent_add"))

    assert "notify_of_transfer" in page.context["adminform"].form.fields


@pytest.mark.django_db
def test_a_disclosure_logged_in_the_admin_owes_notices_and_says_so(officer_client):
    asking, silent = _asking(), ConsentFactory().subject
    when = timezone.localtime() - timedelta(days=1)

    response = officer_client.post(
        reverse("admin:processors_disclosure_add"),
        {
            "recipient": "Tax office of Almaty",
            "recipient_kind": "state_body",
            "disclosed_at_0": when.strftime("%Y-%m-%d"),
            "disclosed_at_1": when.strftime("%H:%M:%S"),
            "legal_basis": "Request No. 1 of 20.11.2026",
            "subjects": [asking.pk, silent.pk],
            "data_categories": ["name"],
            "note": "",
            "change_reason": "Tax office request",
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert [n.subject for n in TransferNotice.objects.all()] == [asking]
    assert any("told of this transfer" in str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.django_db
def test_a_processor_saved_in_the_admin_without_a_new_transfer_says_nothing_of_notices(
    officer_client, officer
):
    _asking()
    processor = ProcessorFactory(
        legal_name="Mail Delivery Ltd", country="DE", purposes=[purpose("newsletter")]
    )
    url = reverse("admin:processors_processor_change", args=[processor.pk])

    response = officer_client.post(
        url,
        _processor_form(
            purposes=[purpose("newsletter").pk],
            stores_data_in_kazakhstan="on",  # as before: no move abroad
            contact="dpo@mail.example",
            change_reason="DPO",
        ),
    )

    assert response.status_code == 302, response.content.decode()
    assert not TransferNotice.objects.exists()
    assert not any("told of this transfer" in str(m) for m in get_messages(response.wsgi_request))
    latest = processor.history.first()
    assert (latest.contact, latest.history_user, latest.history_change_reason) == (
        "dpo@mail.example", officer, "DPO",
    )  # fmt: skip

"""Fulfilment: one service per action, the owner app's history, and an entry on the request."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from common.contact_digests import stored_contact_digest
from consents.exports import mailing_list_rows
from consents.models import ConsentState, WithdrawalChannel
from consents.selectors import mailing_list
from consents.suppression import is_suppressed
from erasure.services import request_erase
from requests.models import ActionKind, RequestStatus
from requests.services.fulfilment import (
    request_block,
    request_rectify,
    request_refuse,
    request_unblock,
    request_withdraw_consents,
)
from subjects.models import Subject, SubjectState
from tests.consents.factories import ConsentFactory, purpose
from tests.requests.factories import request_by_email
from tests.subjects.factories import SubjectFactory

SENDER = "Асель Ким <asel.kim@example.kz>"


@pytest.fixture
def subject(db):
    return SubjectFactory(
        email="asel.kim@example.kz", last_name="Ким", first_name="Асель", patronymic="Маратовна"
    )


def test_rectification_changes_the_subject_with_the_request_as_reason(subject, staff_user):
    subject_request = request_by_email(body="Прошу исправить мою фамилию: Кимова.", sender=SENDER)

    request_rectify(
        subject_request=subject_request,
        actor=staff_user,
        data={"last_name": "Кимова", "first_name": "Асель"},
    )

    subject.refresh_from_db()
    assert subject.last_name == "Кимова"
    record = subject.history.latest()
    assert record.history_user == staff_user
    assert record.history_change_reason == f"Rectification (request #{subject_request.pk})"
    action = subject_request.actions.get(kind=ActionKind.RECTIFIED)
    # The names of the changed fields (not their values), in the requester's language.
    assert subject_request.language == subject.preferred_language == "kk"
    with translation.override("kk"):
        label = str(Subject._meta.get_field("last_name").verbose_name)
    assert (action.actor, action.note) == (staff_user, label)
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.IN_PROGRESS


def test_a_rectification_that_changes_nothing_is_refused(subject, staff_user):
    subject_request = request_by_email(body="Прошу исправить мои данные.", sender=SENDER)

    with pytest.raises(ValidationError, match="Nothing was changed"):
        request_rectify(
            subject_request=subject_request, actor=staff_user, data={"last_name": "Ким"}
        )


def test_a_blocked_subject_leaves_the_mailing_list_and_its_export_until_unblocked(
    subject, staff_user
):
    newsletter = purpose("newsletter")
    ConsentFactory(subject=subject, purpose=newsletter)
    assert subject in list(mailing_list(purpose=newsletter))
    subject_request = request_by_email(body="Прошу заблокировать мои данные.", sender=SENDER)

    request_block(subject_request=subject_request, actor=staff_user)

    subject.refresh_from_db()
    assert subject.state == SubjectState.BLOCKED
    assert subject.blocked_at is not None
    assert subject not in list(mailing_list(purpose=newsletter))
    assert not [row for row in mailing_list_rows(purpose=newsletter) if row[0] == subject.email]
    assert (
        subject.history.latest().history_change_reason
        == f"Blocking (request #{subject_request.pk})"
    )
    assert subject_request.actions.filter(kind=ActionKind.BLOCKED, actor=staff_user).exists()
    with pytest.raises(ValidationError, match="Only an active subject"):
        request_block(subject_request=subject_request, actor=staff_user)

    unblocking = request_by_email(body="Прошу разблокировать мои данные.", sender=SENDER)
    request_unblock(subject_request=unblocking, actor=staff_user)

    subject.refresh_from_db()
    assert (subject.state, subject.blocked_at) == (SubjectState.ACTIVE, None)
    assert subject in list(mailing_list(purpose=newsletter))


def test_withdrawal_names_the_consents_it_withdrew(subject, staff_user):
    newsletter = ConsentFactory(subject=subject, purpose=purpose("newsletter"))
    feedback = ConsentFactory(subject=subject, purpose=purpose("feedback"))
    subject_request = request_by_email(body="Отзываю согласие на рассылку.", sender=SENDER)

    withdrawn = request_withdraw_consents(
        subject_request=subject_request, actor=staff_user, purposes=[purpose("newsletter")]
    )

    assert withdrawn == [newsletter]
    newsletter.refresh_from_db()
    feedback.refresh_from_db()
    assert (newsletter.state, newsletter.withdrawal_channel) == (
        ConsentState.WITHDRAWN, WithdrawalChannel.EMAIL_REQUEST,
    )  # fmt: skip
    assert feedback.state == ConsentState.GIVEN  # partial withdrawal keeps the rest
    action = subject_request.actions.get(kind=ActionKind.CONSENTS_WITHDRAWN)
    assert list(action.consents.all()) == [newsletter]
    assert newsletter.history.latest().history_change_reason == (
        f"Withdrawal of consent (request #{subject_request.pk})"
    )
    assert is_suppressed(email=subject.email)  # a marketing purpose: no old list brings them back


def test_withdrawing_everything_leaves_no_live_consent(subject, staff_user):
    ConsentFactory(subject=subject, purpose=purpose("newsletter"))
    ConsentFactory(subject=subject, purpose=purpose("feedback"))
    subject_request = request_by_email(body="Отзываю все мои согласия.", sender=SENDER)

    withdrawn = request_withdraw_consents(
        subject_request=subject_request, actor=staff_user, purposes=None
    )

    assert len(withdrawn) == 2
    assert not subject.consents.filter(state=ConsentState.GIVEN).exists()
    with pytest.raises(ValidationError, match="no live consent"):
        request_withdraw_consents(subject_request=subject_request, actor=staff_user, purposes=None)


def test_an_action_needs_a_matched_subject(db, staff_user):
    subject_request = request_by_email(
        body="Прошу заблокировать мои данные.", sender="nobody@example.kz"
    )

    with pytest.raises(ValidationError, match="Match the request"):
        request_block(subject_request=subject_request, actor=staff_user)


def test_a_refusal_needs_its_reason(subject, staff_user):
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender=SENDER)

    with pytest.raises(ValidationError, match="needs its reason"):
        request_refuse(subject_request=subject_request, actor=staff_user, reason=" ")

    request_refuse(subject_request=subject_request, actor=staff_user, reason="Договор не исполнен.")
    assert subject_request.actions.get(kind=ActionKind.REFUSED).note == "Договор не исполнен."


def test_only_the_privacy_officer_may_erase(subject, staff_user):
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender=SENDER)

    with pytest.raises(ValidationError, match="Only the privacy officer"):
        request_erase(subject_request=subject_request, actor=staff_user)


def test_a_rectified_e_mail_and_phone_come_with_their_digests(subject, staff_user):
    data = {"email": "asel.kimova@example.kz", "phone": "+77010000042"}
    asked = request_by_email(body="Прошу исправить мой адрес.", sender=SENDER)

    request_rectify(subject_request=asked, actor=staff_user, data=data)

    subject.refresh_from_db()
    assert subject.email_digest == stored_contact_digest("email", data["email"])
    assert subject.phone_digest == stored_contact_digest("phone", data["phone"])

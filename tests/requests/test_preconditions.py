"""Each rule of the request's actions is one precondition next to its service: the service
refuses with it, and the request page shows the same refusal beside the disabled button."""

import pytest
from django.core.exceptions import ValidationError

from erasure.services import request_erase_and_answer, subject_erase
from requests.admin.actions import ACTIONS
from requests.models import ActionKind, RequestStatus
from requests.services import answers, deadlines, fulfilment
from requests.services.base import request_clock_paused, request_subject_erased
from requests.services.intake import request_kind_confirm
from subjects.models import SubjectState
from tests.requests.factories import request_by_email
from tests.subjects.factories import SubjectFactory

SENDER = "Асель Ким <asel.kim@example.kz>"


@pytest.fixture
def subject(db):
    return SubjectFactory(email="asel.kim@example.kz", last_name="Ким", first_name="Асель")


@pytest.fixture
def paused(subject, officer):
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender=SENDER)
    request_kind_confirm(subject_request=subject_request, actor=officer)
    deadlines.request_pause(subject_request=subject_request, actor=officer, note="Ждём документ")
    return subject_request


@pytest.fixture
def of_erased(subject, officer):
    subject_request = request_by_email(body="Прошу исправить мою фамилию: Кимова.", sender=SENDER)
    request_kind_confirm(subject_request=subject_request, actor=officer)
    subject_erase(subject=subject, actor=officer, reason="An earlier request")
    subject_request.refresh_from_db()
    return subject_request


def test_no_answer_is_sent_while_the_clock_is_paused(paused, officer):
    with pytest.raises(ValidationError, match="clock is paused") as error:
        answers.answer_send(subject_request=paused, actor=officer, subject="Ответ", body="Текст")

    assert error.value.code == "paused"
    paused.refresh_from_db()
    assert paused.status == RequestStatus.AWAITING_INFORMATION
    assert not paused.actions.filter(kind=ActionKind.ANSWER_SENT).exists()


def test_no_erasure_with_its_answer_while_the_clock_is_paused(paused, subject, officer):
    with pytest.raises(ValidationError, match="clock is paused"):
        request_erase_and_answer(subject_request=paused, actor=officer, subject="s", body="b")

    subject.refresh_from_db()
    assert subject.state == SubjectState.ACTIVE


def test_no_second_request_for_information_while_the_clock_is_paused(paused, officer):
    with pytest.raises(ValidationError, match="clock is paused"):
        answers.information_request_send(
            subject_request=paused, actor=officer, subject="s", body="b"
        )

    assert paused.actions.filter(kind=ActionKind.INFORMATION_REQUESTED).count() == 0


def test_an_erased_subject_is_not_rectified_through_a_request(of_erased, officer):
    with pytest.raises(ValidationError, match="has been erased") as error:
        fulfilment.request_rectify(
            subject_request=of_erased, actor=officer, data={"last_name": "Кимова"}
        )

    assert error.value.code == "erased"
    assert not of_erased.actions.filter(kind=ActionKind.RECTIFIED).exists()


def test_an_erased_subject_is_not_blocked_through_a_request(of_erased, officer):
    with pytest.raises(ValidationError, match="has been erased"):
        fulfilment.request_block(subject_request=of_erased, actor=officer)


def test_no_consent_is_withdrawn_for_an_erased_subject(of_erased, officer):
    assert fulfilment.request_withdraw_refusal(of_erased).code == "erased"
    with pytest.raises(ValidationError, match="has been erased"):
        fulfilment.request_withdraw_consents(
            subject_request=of_erased, actor=officer, purposes=None
        )


def test_an_answer_by_post_waits_for_the_kind_to_be_confirmed(subject, officer):
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender=SENDER)

    with pytest.raises(ValidationError, match="Confirm the kind") as error:
        answers.answer_record_posted(
            subject_request=subject_request, actor=officer, subject="s", body="b"
        )

    assert error.value.code == "kind"


def test_the_request_page_explains_with_the_service_s_own_refusal(paused, of_erased, officer):
    answer, rectify = ACTIONS["answer"], ACTIONS["rectify"]

    assert answer.unavailable(paused, officer) == str(request_clock_paused(paused).message)
    assert rectify.unavailable(of_erased, officer) == str(request_subject_erased(of_erased).message)

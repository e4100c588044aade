"""Erasure as an action on a request: the erasure app adds it to the request page at ready();
`requests` holds no reference to erasure. Its preconditions are refused by the service itself."""

import pytest
from django.core.exceptions import ValidationError

from erasure.models import ErasureLog
from erasure.services import (
    ErasureRefused,
    request_erase,
    request_erase_and_answer,
    request_erase_refusal,
    subject_erase,
)
from requests.admin.actions import ACTIONS
from requests.models import ActionKind
from requests.services.intake import request_kind_confirm
from subjects.models import SubjectState
from tests.consents.factories import ConsentFactory, purpose
from tests.requests.factories import request_by_email
from tests.subjects.factories import SubjectFactory

SENDER = "Асель Ким <asel.kim@example.kz>"


@pytest.fixture
def subject(db):
    return SubjectFactory(email="asel.kim@example.kz", last_name="Ким", first_name="Асель")


def test_the_erasure_app_adds_its_action_to_the_request_page_before_the_refusal():
    names = list(ACTIONS)

    assert "erase" in names
    assert names.index("erase") == names.index("refuse") - 1
    assert ACTIONS["erase"].run.__module__ == "erasure.hooks"


def test_requests_does_not_reach_up_to_erasure():
    from pathlib import Path

    import requests.services.fulfilment as fulfilment

    source = Path(fulfilment.__file__).read_text(encoding="utf-8")
    assert "import_module" not in source
    assert "erasure" not in source


def test_erasing_a_request_s_subject_records_it_on_the_request(subject, officer):
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender=SENDER)
    request_kind_confirm(subject_request=subject_request, actor=officer)

    log = request_erase(subject_request=subject_request, actor=officer)

    subject.refresh_from_db()
    assert subject.state == SubjectState.ERASED
    assert log.request_id == subject_request.pk
    assert subject_request.actions.filter(kind=ActionKind.ERASED, actor=officer).count() == 1


def test_an_erased_subject_is_not_erased_again_through_a_request(subject, officer):
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender=SENDER)
    request_kind_confirm(subject_request=subject_request, actor=officer)
    subject_erase(subject=subject, actor=officer, reason="Earlier request")
    subject_request.refresh_from_db()

    assert request_erase_refusal(subject_request=subject_request, actor=officer).code == "erased"
    with pytest.raises(ValidationError, match="has been erased"):
        request_erase(subject_request=subject_request, actor=officer)
    assert ErasureLog.objects.count() == 1


def test_erasure_waits_for_the_kind_to_be_confirmed(subject, officer):
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender=SENDER)

    with pytest.raises(ValidationError, match="Confirm the kind"):
        request_erase_and_answer(
            subject_request=subject_request, actor=officer, subject="s", body="b"
        )
    subject.refresh_from_db()
    assert subject.state == SubjectState.ACTIVE


def test_a_legal_hold_refusal_reaches_the_request_as_a_refusal(subject, officer):
    ConsentFactory(
        subject=subject, purpose=purpose("contracts"), legal_hold=True, legal_hold_reason="Закон"
    )
    subject_request = request_by_email(body="Прошу удалить мои данные.", sender=SENDER)
    request_kind_confirm(subject_request=subject_request, actor=officer)

    with pytest.raises(ValidationError, match="The law keeps") as error:
        request_erase(subject_request=subject_request, actor=officer)
    assert isinstance(error.value.__cause__, ErasureRefused)
    assert not subject_request.actions.filter(kind=ActionKind.ERASED).exists()

"""One family of refusals: every service refuses with a DomainError (a translatable message and
a code); the interfaces turn it into a form error, a message or an exit code."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy

from common.errors import DomainError, refusal_exit
from consents.services import ConsentError
from consents.unsubscribe import UnsubscribeLinkError, unsubscribe_target
from erasure.services import AlreadyErased, ErasureError, ErasureRefused
from imports.services import ImportFailed
from imports.services.reading import FileUnreadable
from imports.services.writing import ImportConflict
from incidents.services import IncidentError
from requests.models import UnreadableMessage
from requests.services.base import RequestError
from requests.services.intake import message_ingest
from requests.services.unreadable import unreadable_retry
from subjects.services import SubjectErased, SubjectStateError, SubjectSuppressed
from webforms.tilda import UnreadableBody, read_body

REFUSALS = (
    ConsentError, UnsubscribeLinkError, ErasureError, AlreadyErased, ErasureRefused, ImportFailed,
    FileUnreadable, ImportConflict, IncidentError, RequestError, SubjectStateError, SubjectErased,
    SubjectSuppressed, UnreadableBody,
)  # fmt: skip


@pytest.mark.parametrize("refusal", REFUSALS)
def test_every_refusal_is_a_domain_error_and_still_a_validation_error(refusal):
    assert issubclass(refusal, DomainError)
    assert issubclass(refusal, ValidationError)  # model forms and the admin show it as such


def test_a_refusal_reads_as_its_message_in_the_user_s_language_with_its_code():
    error = RequestError(gettext_lazy("Confirm the kind of the request first."), code="kind")

    with translation.override("ru"):
        assert str(error) != "Confirm the kind of the request first."
        assert str(error) == translation.gettext("Confirm the kind of the request first.")
    assert error.code == "kind"
    assert DomainError("x").code == "refused"
    assert DomainError("%(n)s left", params={"n": 3}).text == "3 left"


def test_a_command_exits_non_zero_with_the_refusal_s_message():
    exit_ = refusal_exit(AlreadyErased("This subject is already erased."))

    assert exit_.returncode != 0
    assert str(exit_) == "This subject is already erased."


def test_a_bad_unsubscribe_link_is_refused_with_its_reason_as_code(db):
    with pytest.raises(UnsubscribeLinkError) as error:
        unsubscribe_target(token="not-a-token")

    assert error.value.code == error.value.reason == "invalid"
    assert str(error.value) == "This unsubscribe link is not valid"


def test_a_webhook_body_that_is_not_utf8_is_refused_with_its_rule_as_code():
    with pytest.raises(UnreadableBody) as error:
        read_body(b"name=\xff\xfe", max_fields=10, drop="")

    assert error.value.code == "not_utf8"


@pytest.mark.django_db
def test_a_message_still_unreadable_is_refused_with_the_reason_not_kept_twice(officer):
    message_ingest(raw=b"\x00\x01 no headers, no sender", source="box#1")
    kept = UnreadableMessage.objects.get()

    with pytest.raises(RequestError, match="still can't be read") as error:
        unreadable_retry(message=kept, actor=officer)

    assert error.value.code == "unreadable"
    assert UnreadableMessage.objects.count() == 1
    kept.refresh_from_db()
    assert kept.request is None

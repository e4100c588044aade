import factory
from django.utils import timezone

from requests.models import (
    CLOSED_STATUSES,
    AnswerVia,
    RequestChannel,
    RequestKind,
    RequestStatus,
    SubjectRequest,
)
from tests.subjects.factories import SubjectFactory
from tests.tracked_factory import TrackedModelFactory


class SubjectRequestFactory(TrackedModelFactory):
    class Meta:
        model = SubjectRequest

    kind = RequestKind.ACCESS
    channel = RequestChannel.EMAIL
    received_at = factory.LazyFunction(timezone.now)
    requester_last_name = "Нұрланова"
    requester_first_name = "Айгерім"
    requester_patronymic = "Серікқызы"
    reply_email = factory.Sequence(lambda n: f"requester{n}@example.com")
    content = "Маған менің дербес деректерім туралы ақпарат беруіңізді сұраймын."
    subject = factory.SubFactory(SubjectFactory)
    status = RequestStatus.RECEIVED
    # A closed request was answered: the database refuses one without its answer.
    answered_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in CLOSED_STATUSES else None
    )
    answered_via = factory.LazyAttribute(
        lambda o: AnswerVia.EMAIL if o.status in CLOSED_STATUSES else ""
    )
    refusal_reason = factory.LazyAttribute(
        lambda o: "Refused in a test" if o.status == RequestStatus.REFUSED else ""
    )


def request_by_email(*, body: str, sender: str = "", subject_line: str = "Запрос", when=None):
    """A request as intake makes it from a letter: the rules of intake apply."""
    from requests.services.intake import message_ingest
    from tests.requests.letters import letter

    raw = letter(
        sender=sender or "Асель Ким <asel.kim@example.kz>", subject=subject_line, body=body
    )
    return message_ingest(raw=raw, source="test", received_at=when).request

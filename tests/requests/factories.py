import factory
from django.utils import timezone

from requests.models import RequestChannel, RequestKind, SubjectRequest
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

import factory
from django.utils import timezone

from consents.models import Consent, ConsentMethod, DocumentKind, PolicyVersion, Purpose
from tests.subjects.factories import SubjectFactory
from tests.tracked_factory import TrackedModelFactory


def seeded_policy() -> PolicyVersion:
    return PolicyVersion.objects.get(kind=DocumentKind.PRIVACY_POLICY, version_label="1")


def purpose(code: str = "newsletter") -> Purpose:
    """The purposes are seeded by a migration; tests use those rows."""
    return Purpose.objects.get(code=code)


class PolicyVersionFactory(TrackedModelFactory):
    class Meta:
        model = PolicyVersion

    kind = DocumentKind.PRIVACY_POLICY
    version_label = factory.Sequence(lambda n: f"2.{n}")
    published_at = factory.LazyFunction(timezone.now)
    text_kk = "Құпиялылық туралы саясат"


class ConsentFactory(TrackedModelFactory):
    class Meta:
        model = Consent

    subject = factory.SubFactory(SubjectFactory)
    purpose = factory.LazyFunction(purpose)
    given_at = factory.LazyFunction(timezone.now)
    method = ConsentMethod.SUBSCRIPTION_FORM
    evidence = "Subscription form on the site"
    policy_version = factory.LazyFunction(seeded_policy)
    data_categories = factory.LazyFunction(lambda: ["name", "email"])

from datetime import timedelta

import factory
from django.utils import timezone

from consents.models import ConsentMethod
from consents.services import consent_give
from processors import services
from processors.models import Disclosure, Processor, RecipientKind
from tests.consents.factories import purpose
from tests.subjects.factories import SubjectFactory
from tests.tracked_factory import TrackedModelFactory


def consent_given(subject, code: str = "newsletter", **content):
    """A consent given through the service, as recipients are computed from (cross-border...)."""
    return consent_give(
        subject=subject,
        purpose=purpose(code),
        method=ConsentMethod.SITE_CHECKBOX,
        actor=None,
        reason="test data",
        **content,
    )


class ProcessorFactory(TrackedModelFactory):
    class Meta:
        model = Processor
        skip_postgeneration_save = True  # setting purposes writes no field of the row

    legal_name = factory.Sequence(lambda n: f"Demo Hosting {n} LLP")
    registration_number = "123456789012"
    country = "KZ"
    services = factory.LazyFunction(lambda: ["hosting"])
    actions = factory.LazyFunction(lambda: ["store"])
    data_categories = factory.LazyFunction(lambda: ["name", "email"])
    stores_data_in_kazakhstan = True

    @factory.post_generation
    def purposes(self, create, extracted, **kwargs):
        if create and extracted:
            self.purposes.set(extracted)


class DisclosureFactory(factory.django.DjangoModelFactory):
    """Disclosures are logged through the service, as the admin does."""

    class Meta:
        model = Disclosure

    recipient = "Department of Justice of Almaty"
    recipient_kind = RecipientKind.STATE_BODY
    disclosed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    legal_basis = "Request No. 12-3/456 of 01.10.2026"
    data_categories = factory.LazyFunction(lambda: ["name", "phone"])

    @classmethod
    def _create(cls, model_class, *args, actor=None, reason="test data", subjects=None, **kwargs):
        subjects = subjects if subjects is not None else [SubjectFactory()]
        return services.disclosure_record(actor=actor, reason=reason, subjects=subjects, **kwargs)

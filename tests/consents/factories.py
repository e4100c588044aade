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


def published_version(
    *,
    kind: DocumentKind = DocumentKind.PRIVACY_POLICY,
    version_label: str,
    actor=None,
    published_at=None,
    **texts: str,
) -> PolicyVersion:
    """A version drafted, approved by an order and published, through the services."""
    from common.approval import approval_record
    from consents.services import policy_version_draft, policy_version_publish

    version = policy_version_draft(
        kind=kind, version_label=version_label, actor=actor, reason="Drafted", **texts
    )
    approval_record(
        version,
        approved_by="Director",
        order_number=f"{version_label}-ОД",
        order_date=timezone.localdate(),
        actor=actor,
        reason="Approved",
    )
    return policy_version_publish(
        version=version, actor=actor, reason="Published", published_at=published_at
    )


class PolicyVersionFactory(TrackedModelFactory):
    class Meta:
        model = PolicyVersion

    kind = DocumentKind.PRIVACY_POLICY
    version_label = factory.Sequence(lambda n: f"2.{n}")
    published_at = factory.LazyFunction(timezone.now)
    text_kk = "Құпиялылық туралы саясат"
    approved_by = "Director"
    approval_order_number = factory.Sequence(lambda n: f"{n}-ОД")
    approval_order_date = factory.LazyFunction(timezone.localdate)


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


def consent_add_form(subject, **fields) -> dict:
    """The consent admin's add form, filled for a written consent to feedback; `fields` override."""
    return {
        "subject": subject.pk, "purpose": purpose("feedback").pk, "given_at_0": "2026-11-20",
        "given_at_1": "10:00:00", "method": "written_agreement", "evidence": "Signed form No. 3",
        "evidence_payload": "{}", "data_categories": ["name", "email"], **fields,
    }  # fmt: skip

import factory

from subjects import services
from subjects.models import AgreementData, ContactHandle, HandleKind, Source, Subject


class SubjectFactory(factory.django.DjangoModelFactory):
    """Subjects are built through the service, so tests meet the same rules as the admin."""

    class Meta:
        model = Subject

    last_name = factory.Sequence(lambda n: f"Нұрланова{n}")
    first_name = "Айгерім"
    patronymic = "Серікқызы"
    email = factory.Sequence(lambda n: f"subject{n}@example.com")
    phone = factory.Sequence(lambda n: f"+7701{n % 10_000_000:07d}")
    city = "Алматы"
    source = Source.SUBSCRIPTION_FORM

    @classmethod
    def _create(cls, model_class, *args, actor=None, reason="test data", **kwargs):
        return services.subject_create(actor=actor, reason=reason, data=kwargs)


class ContactHandleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactHandle

    subject = factory.SubFactory(SubjectFactory)
    kind = HandleKind.TELEGRAM
    value = factory.Sequence(lambda n: f"@handle{n}")

    @classmethod
    def _create(cls, model_class, *args, actor=None, reason="test data", **kwargs):
        return services.handle_add(actor=actor, reason=reason, **kwargs)


class AgreementDataFactory(factory.django.DjangoModelFactory):
    """Agreement data through its service: values validated, sealed, history written."""

    class Meta:
        model = AgreementData

    subject = factory.SubFactory(SubjectFactory)
    agreement_number = factory.Sequence(lambda n: f"Д-{n:04d}")
    passport_number = factory.Sequence(lambda n: f"N{n:08d}")
    passport_issued_by = "МВД РК"
    passport_issued_on = "2020-05-14"
    bank_name = "АО «Банк»"
    bank_bic = "KCJBKZKX"
    bank_account = "KZ86125KZT5004100100"

    @classmethod
    def _create(cls, model_class, *args, subject, actor=None, reason="test data", **kwargs):
        from subjects.agreements import agreement_data_record

        return agreement_data_record(subject=subject, actor=actor, reason=reason, data=kwargs)

from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from common.fields import MultipleChoiceField
from common.history import AuditHistory
from common.models import PersonalDataModel
from common.personal_data import DataCategory, classify
from consents.models import Purpose
from subjects.models import Subject


class ProcessorService(models.TextChoices):
    HOSTING = "hosting", _("Hosting")
    EMAIL_DELIVERY = "email_delivery", _("E-mail delivery")
    ORDER_FULFILMENT = "order_fulfilment", _("Order fulfilment")
    PAYMENTS = "payments", _("Payments")
    OTHER = "other", _("Other")


class ProcessingAction(models.TextChoices):
    """The actions of processing as the Law names them."""

    COLLECT = "collect", _("Collection")
    RECORD = "record", _("Recording")
    SYSTEMATISE = "systematise", _("Systematisation")
    ACCUMULATE = "accumulate", _("Accumulation")
    STORE = "store", _("Storage")
    CLARIFY = "clarify", _("Clarification (update, change)")
    RETRIEVE = "retrieve", _("Retrieval")
    USE = "use", _("Use")
    TRANSFER = "transfer", _("Transfer (distribution, provision of access)")
    DEPERSONALISE = "depersonalise", _("Depersonalisation")
    BLOCK = "block", _("Blocking")
    DELETE = "delete", _("Deletion")
    DESTROY = "destroy", _("Destruction")


@classify(
    subject_path=None,
    other=(
        "id", "legal_name", "registration_number", "country", "contact", "services", "actions",
        "purposes", "data_categories", "agreement_number", "agreement_date", "agreement_file",
        "active_from", "active_to", "stores_data_in_kazakhstan", "created_at",
    ),
)  # fmt: skip
class Processor(models.Model):
    """A third party the operator entrusts with processing (hosting, mailing, fulfilment...)."""

    legal_name = models.CharField(_("legal name"), max_length=255)
    registration_number = models.CharField(
        _("BIN or foreign registration number"), max_length=64, blank=True
    )
    country = CountryField(_("country"))
    # A business contact of the processor, not a data subject of this register.
    contact = models.TextField(_("contact"), blank=True)
    services = MultipleChoiceField(_("services"), item_choices=ProcessorService.choices)
    actions = MultipleChoiceField(_("entrusted actions"), item_choices=ProcessingAction.choices)
    purposes = models.ManyToManyField(
        Purpose, related_name="processors", blank=True, verbose_name=_("purposes served")
    )
    data_categories = MultipleChoiceField(
        _("categories of personal data received"), item_choices=DataCategory.choices
    )
    agreement_number = models.CharField(
        _("confidentiality agreement number"), max_length=64, blank=True
    )
    agreement_date = models.DateField(_("confidentiality agreement date"), null=True, blank=True)
    agreement_file = models.FileField(
        _("confidentiality agreement"), upload_to="processors/agreements/", blank=True
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    stores_data_in_kazakhstan = models.BooleanField(
        _("keeps the data in Kazakhstan"), default=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = AuditHistory()

    class Meta:
        verbose_name = _("processor")
        verbose_name_plural = _("processors")
        ordering = ("legal_name",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True)
                | models.Q(active_from__isnull=True)
                | models.Q(active_to__gte=models.F("active_from")),
                name="processor_active_period_ordered",
                violation_error_message=_("The active period must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def country_name(self) -> str:
        """The country's name in the active language."""
        # django-countries gives a Country; the stubs type the field as the CharField's str.
        return str(cast(Country, self.country).name)

    @property
    def is_cross_border(self) -> bool:
        """Data sent to a processor that keeps it abroad is a cross-border transfer (Art. 16)."""
        return not self.stores_data_in_kazakhstan


class RecipientKind(models.TextChoices):
    STATE_BODY = "state_body", _("State body")
    THIRD_PARTY = "third_party", _("Other third party")


# The request letter or court order and the note may name the people concerned: they are the
# subject's correspondence, blanked on erasure. Who received the data, when and on which legal
# ground stays, as the record of the disclosure itself.
@classify(
    subject_path="subjects",
    personal={"document": DataCategory.CORRESPONDENCE, "note": DataCategory.CORRESPONDENCE},
    other=(
        "id", "recipient", "recipient_kind", "disclosed_at", "subjects", "data_categories",
        "legal_basis", "recorded_by", "created_at",
    ),
)  # fmt: skip
class Disclosure(PersonalDataModel):
    """Data handed to a state body or another third party on legal grounds (not a processor)."""

    recipient = models.CharField(_("recipient"), max_length=255)
    recipient_kind = models.CharField(
        _("kind of recipient"), max_length=16, choices=RecipientKind.choices
    )
    disclosed_at = models.DateTimeField(_("disclosed at"))
    subjects = models.ManyToManyField(
        Subject, related_name="disclosures", verbose_name=_("data subjects")
    )
    data_categories = MultipleChoiceField(
        _("categories of personal data disclosed"), item_choices=DataCategory.choices
    )
    legal_basis = models.TextField(
        _("legal basis"),
        help_text=_("The article of the law, or the recipient's request: its number and date."),
    )
    document = models.FileField(
        _("document"),
        upload_to="processors/disclosures/",
        blank=True,
        help_text=_("The request, order or covering letter."),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,  # logged by a command or a migration rather than a person
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = AuditHistory()

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosure log")
        ordering = ("-disclosed_at", "-pk")

    def __str__(self) -> str:
        if self.disclosed_at is None:
            return self.recipient
        return f"{self.recipient}, {timezone.localdate(self.disclosed_at):%d.%m.%Y}"

    def clean(self) -> None:
        # Here rather than blank=False: MultipleChoiceField is blank by default, and its
        # deconstruction would lose blank=False in migrations.
        errors = {}
        if not self.data_categories:
            errors["data_categories"] = _("Choose at least one category of data disclosed.")
        if self.disclosed_at and self.disclosed_at > timezone.now():
            errors["disclosed_at"] = _("A disclosure is logged after it happened, not before.")
        if errors:
            raise ValidationError(errors)

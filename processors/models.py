from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from common.fields import MultipleChoiceField
from common.personal_data import DataCategory, classify
from consents.models import Purpose


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

    history = HistoricalRecords()

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
    def is_cross_border(self) -> bool:
        """Data sent to a processor that keeps it abroad is a cross-border transfer (Art. 16)."""
        return not self.stores_data_in_kazakhstan

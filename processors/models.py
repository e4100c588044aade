from typing import cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from common.approval import APPROVAL_FIELDS, Approvable
from common.fields import MultipleChoiceField
from common.history import AuditHistory
from common.model_fields import created_at_field, optional_link, staff_field
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
    created_at = created_at_field(_("created at"))

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
    recorded_by = staff_field(_("recorded by"))
    created_at = created_at_field(_("recorded at"))

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


class NoticeState(models.TextChoices):
    PENDING = "pending", _("To send")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


# Art. 19(1) of the Law: when a consent makes a transfer conditional on telling the subject, the
# operator tells them within 10 working days. A notice is about one person and one transfer:
# who received the data and when. The note (how they were told, why cancelled) is written by
# staff about the person and is blanked on erasure; erasure also cancels the notices not sent.
@classify(
    subject_path="subject",
    personal={"note": DataCategory.CORRESPONDENCE},
    other=(
        "id", "subject", "consent", "disclosure", "processor", "recipient", "cross_border",
        "transferred_on", "due_date", "state", "sent_at", "sent_by", "created_at",
    ),
)  # fmt: skip
class TransferNotice(PersonalDataModel):
    """A notice owed to a subject of a transfer of their data to a third party (Art. 19(1))."""

    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="transfer_notices",
        verbose_name=_("data subject"),
    )
    consent = models.ForeignKey(
        "consents.Consent",
        on_delete=models.PROTECT,
        related_name="transfer_notices",
        verbose_name=_("consent with the condition"),
    )
    disclosure = optional_link(Disclosure, _("disclosure"), related_name="notices")
    processor = optional_link(Processor, _("processor"), related_name="notices")
    recipient = models.CharField(_("recipient"), max_length=255)
    cross_border = models.BooleanField(_("cross-border transfer"), default=False)
    transferred_on = models.DateField(_("transferred on"))
    due_date = models.DateField(_("notice due by"))
    state = models.CharField(
        _("state"), max_length=16, choices=NoticeState.choices, default=NoticeState.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = staff_field(_("sent by"))
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("How it was told, or why cancelled.")
    )
    created_at = created_at_field(_("created at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("transfer notice")
        verbose_name_plural = _("transfer notices")
        ordering = ("state", "due_date", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disclosure__isnull=True, processor__isnull=False)
                | models.Q(disclosure__isnull=False, processor__isnull=True),
                name="transfernotice_one_transfer",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=NoticeState.SENT) | models.Q(sent_at__isnull=False),
                name="transfernotice_sent_has_time",
            ),
            # A transfer is told once per consent that asked for it, however often it is saved.
            models.UniqueConstraint(
                fields=("consent", "disclosure"),
                condition=models.Q(disclosure__isnull=False),
                name="transfernotice_once_per_disclosure",
            ),
            models.UniqueConstraint(
                fields=("consent", "processor", "transferred_on"),
                condition=models.Q(processor__isnull=False),
                name="transfernotice_once_per_processor_day",
            ),
        ]
        indexes = [
            # The desk and the admin list: what is still to send, the earliest due first.
            models.Index(
                fields=("due_date",),
                condition=models.Q(state="pending"),
                name="transfernotice_pending_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}, {self.transferred_on:%d.%m.%Y}"


@classify(
    subject_path=None,
    other=("id", "version_label", "drawn_up_on", "content", "current_from", "created_at",
           *APPROVAL_FIELDS),
)  # fmt: skip
class PersonalDataListVersion(Approvable):
    """A version of the list of personal data as it was drawn up, in Kazakh and Russian.

    The operator approves the list by an order (Art. 25(2)(1)); an approved version becomes the
    current one, and every earlier version is kept with its approval. `content` holds the
    document as drawn up (per language: title, columns, rows), so a later change of the tables
    does not change what was approved.
    """

    version_label = models.CharField(_("version"), max_length=64, unique=True)
    drawn_up_on = models.DateField(_("drawn up on"))
    content = models.JSONField(_("content"), default=dict, editable=False)
    current_from = models.DateTimeField(
        _("current from"), null=True, blank=True, help_text=_("Empty until it is made current.")
    )
    created_at = created_at_field(_("created at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("version of the list of personal data")
        verbose_name_plural = _("versions of the list of personal data")
        ordering = ("-drawn_up_on", "-pk")

    def __str__(self) -> str:
        return f"{_('List of personal data')} {self.version_label}"

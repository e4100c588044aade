"""Tilda form submissions as they arrived, and how each Tilda form maps onto the registers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.history import AuditHistory
from common.i18n import localized
from common.model_fields import created_at_field, optional_link
from common.models import PersonalDataModel
from common.personal_data import DataCategory, classify
from consents.models import DocumentKind, PolicyVersion, Purpose
from subjects.models import Subject


@classify(
    subject_path=None,
    other=(
        "id", "formid", "name_kk", "name_ru", "name_en", "name_field", "email_field",
        "phone_field", "city_field", "organisation_field", "language", "policy_version",
        "created_at",
    ),
)  # fmt: skip
class TildaForm(models.Model):
    """Which field of one Tilda form holds what, and which consent text stood on it.

    Tilda sends the field names the site owner chose (defaults: Name, Email, Phone, Checkbox);
    this mapping names them. It holds no person's data.
    """

    formid = models.CharField(
        _("Tilda form id"), max_length=64, unique=True, help_text=_("E.g. form612345678.")
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_field = models.CharField(
        _("field with the full name"),
        max_length=100,
        blank=True,
        default="Name",
        help_text=_("Split into last name, first name and patronymic."),
    )
    email_field = models.CharField(_("e-mail field"), max_length=100, blank=True, default="Email")
    phone_field = models.CharField(_("phone field"), max_length=100, blank=True, default="Phone")
    city_field = models.CharField(_("city field"), max_length=100, blank=True)
    organisation_field = models.CharField(_("organisation field"), max_length=100, blank=True)
    language = models.CharField(
        _("language of the form"),
        max_length=2,
        choices=settings.LANGUAGES,
        help_text=_("New subjects from this form get it as their preferred language."),
    )
    policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": DocumentKind.FORM_CONSENT},
        related_name="+",
        verbose_name=_("consent text on the form"),
        help_text=_("Tilda does not send the text beside the checkbox: name its version here."),
    )
    created_at = created_at_field(_("created at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("Tilda form")
        verbose_name_plural = _("Tilda forms")
        ordering = ("formid",)

    def __str__(self) -> str:
        return f"{localized(self, 'name')} ({self.formid})"


@classify(subject_path=None, other=("id", "form", "field", "purpose", "notify_of_transfer"))
class TildaConsentBox(models.Model):
    """A checkbox of a Tilda form: ticked ("yes"), it gives a consent to the purpose."""

    form = models.ForeignKey(
        TildaForm, on_delete=models.CASCADE, related_name="boxes", verbose_name=_("Tilda form")
    )
    field = models.CharField(
        _("checkbox field"), max_length=100, default="Checkbox", help_text=_("E.g. Checkbox.")
    )
    purpose = models.ForeignKey(
        Purpose, on_delete=models.PROTECT, related_name="+", verbose_name=_("purpose")
    )
    # Art. 19(1): the box's text makes a transfer conditional on telling the person of it.
    notify_of_transfer = models.BooleanField(
        _("tell the subject of each transfer"),
        default=False,
        help_text=_("The box's text asks to be told of every transfer to a third party."),
    )

    history = AuditHistory()

    class Meta:
        verbose_name = _("consent checkbox")
        verbose_name_plural = _("consent checkboxes")
        constraints = [
            models.UniqueConstraint(
                fields=("form", "field", "purpose"), name="tildaconsentbox_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.field


class SubmissionState(models.TextChoices):
    RECEIVED = "received", _("Received, not yet processed")
    PROCESSED = "processed", _("Processed")
    NEEDS_MAPPING = "needs_mapping", _("Needs a mapping")
    HELD = "held", _("Held for staff")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected (unreadable)")


# The body is the person's own words: erasure of the subject it was applied to blanks it (and
# the proposed changes and the reason, which may quote it) in the table and in every history row.
@classify(
    subject_path="subject",
    personal={
        "body": DataCategory.CORRESPONDENCE,
        "proposed_changes": DataCategory.CORRESPONDENCE,
        "state_reason": DataCategory.CORRESPONDENCE,
    },
    other=(
        "id", "formid", "tranid", "form", "received_at", "state", "subject", "processed_at",
        "body_size",
    ),
)  # fmt: skip
class TildaSubmission(PersonalDataModel):
    """One POST from Tilda, stored before anything else happens to it.

    `body` is what arrived, form-encoded, with card numbers blotted out and a `payment` field cut
    down to the order and its products; an unreadable body is kept byte for byte (blotted too).
    """

    formid = models.CharField(_("Tilda form id"), max_length=64, blank=True)
    tranid = models.CharField(_("Tilda submission id"), max_length=128, blank=True)
    form = optional_link(TildaForm, _("Tilda form"), related_name="submissions")
    received_at = models.DateTimeField(_("received at"))
    body = models.BinaryField(_("body as received"), null=True, blank=True)
    body_size = models.PositiveIntegerField(_("bytes received"), default=0)
    state = models.CharField(
        _("state"), max_length=16, choices=SubmissionState.choices, default=SubmissionState.RECEIVED
    )
    state_reason = models.TextField(_("why"), blank=True)
    subject = optional_link(Subject, _("data subject"))
    proposed_changes = models.JSONField(
        _("proposed changes"),
        default=dict,
        blank=True,
        help_text=_("Values the form gave that differ from the subject's: staff may accept them."),
    )
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    history = AuditHistory()

    class Meta:
        verbose_name = _("Tilda submission")
        verbose_name_plural = _("Tilda submissions")
        ordering = ("-received_at", "-id")
        constraints = [
            # Tilda retries (and replays) carry the same ids: one row however often they come.
            models.UniqueConstraint(
                fields=("formid", "tranid"),
                condition=~models.Q(tranid=""),
                name="tildasubmission_once_per_tranid",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=SubmissionState.values),
                name="tildasubmission_state_valid",
            ),
        ]
        indexes = [models.Index(fields=("state", "formid"), name="tildasubmission_state_idx")]

    def __str__(self) -> str:
        return f"{self.formid} {self.tranid}".strip() or f"#{self.pk}"

"""The log of inquiries from the authorised body and other state bodies, and of the answers
(Law No. 94-V, Art. 25(2)(3-1): the operator answers the authorised body's inquiries)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.history import AuditHistory
from common.model_fields import created_at_field, staff_field
from common.models import PersonalDataModel
from common.personal_data import DataCategory, classify
from subjects.models import Subject


class InquiringBody(models.TextChoices):
    AUTHORISED_BODY = "authorised_body", _("Authorised body for personal data")
    OTHER_STATE_BODY = "other_state_body", _("Other state body")


# The inquiry's subject matter, its letter and the answer may name the people concerned: they
# are blanked when one of them is erased. Who asked, when, its number and the dates stay, as the
# record of the inquiry itself.
@classify(
    subject_path="subjects",
    personal={
        "subject_matter": DataCategory.CORRESPONDENCE,
        "document": DataCategory.CORRESPONDENCE,
        "answer_document": DataCategory.CORRESPONDENCE,
    },
    other=(
        "id", "received_on", "body_kind", "body", "reference_number", "subjects", "due_on",
        "answered_on", "recorded_by", "created_at",
    ),
)  # fmt: skip
class AuthorityInquiry(PersonalDataModel):
    """One inquiry of a state body and the operator's answer."""

    received_on = models.DateField(_("received on"))
    body_kind = models.CharField(_("kind of body"), max_length=32, choices=InquiringBody.choices)
    body = models.CharField(_("body"), max_length=255, help_text=_("The body's name."))
    reference_number = models.CharField(_("reference number"), max_length=64)
    subject_matter = models.TextField(_("subject matter"))
    subjects = models.ManyToManyField(
        Subject,
        related_name="authority_inquiries",
        blank=True,
        verbose_name=_("data subjects concerned"),
    )
    document = models.FileField(_("inquiry letter"), upload_to="inquiries/letters/", blank=True)
    due_on = models.DateField(
        _("answer due on"),
        help_text=_(
            "The period is set by the inquiry: enter its date, or the working days it gives."
        ),
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_document = models.FileField(
        _("answer document"), upload_to="inquiries/answers/", blank=True
    )
    recorded_by = staff_field(_("recorded by"))
    created_at = created_at_field(_("recorded at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("inquiry of a state body")
        verbose_name_plural = _("inquiries of state bodies")
        ordering = ("-received_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")),
                name="authorityinquiry_due_after_receipt",
                violation_error_message=_("The answer is due on or after the day of receipt."),
            ),
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True)
                | models.Q(answered_on__gte=models.F("received_on")),
                name="authorityinquiry_answered_after_receipt",
                violation_error_message=_("An inquiry is answered after it is received."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} № {self.reference_number}"

    @property
    def is_overdue(self) -> bool:
        return self.answered_on is None and self.due_on < timezone.localdate()

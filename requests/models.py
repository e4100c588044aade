from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import PersonalDataModel
from common.personal_data import DataCategory as C
from common.personal_data import classify
from subjects.models import Subject


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to own data")
    RECTIFICATION = "rectification", _("Rectification")
    BLOCKING = "blocking", _("Blocking")
    ERASURE = "erasure", _("Erasure or destruction")
    WITHDRAWAL = "withdrawal", _("Withdrawal of consent")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribe")
    COMPLAINT = "complaint", _("Complaint or other")


class RequestChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    WEB = "web", _("Web")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    AWAITING_INFORMATION = "awaiting_information", _("Awaiting information")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


@classify(
    subject_path="subject",
    personal={
        "requester_last_name": C.NAME, "requester_first_name": C.NAME,
        "requester_patronymic": C.NAME, "reply_email": C.EMAIL,
        "reply_postal_address": C.LOCATION, "content": C.CORRESPONDENCE,
    },
    other=(
        "id", "kind", "channel", "received_at", "subject", "status", "refusal_reason",
        "assignee", "due_date", "created_at", "updated_at",
    ),
)  # fmt: skip
class SubjectRequest(PersonalDataModel):
    """A request of a data subject, as written, and what became of it."""

    kind = models.CharField(_("kind"), max_length=32, choices=RequestKind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=RequestChannel.choices)
    received_at = models.DateTimeField(_("received at"))
    # The requester as written in the request; the policy requires all of these.
    requester_last_name = models.CharField(_("last name"), max_length=150, blank=True)
    requester_first_name = models.CharField(_("first name"), max_length=150, blank=True)
    requester_patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    reply_email = models.EmailField(_("reply e-mail"), blank=True)
    reply_postal_address = models.TextField(_("reply postal address"), blank=True)
    content = models.TextField(_("content"), blank=True)
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("matched data subject"),
    )
    status = models.CharField(
        _("status"), max_length=32, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("assignee"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subject request")
        verbose_name_plural = _("subject requests")
        ordering = ("-received_at",)
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="request_refusal_has_reason",
                violation_error_message=_("A refusal needs its reason."),
            ),
        ]
        indexes = [models.Index(fields=("status", "due_date"), name="request_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_complete(self) -> bool:
        """The policy asks for last name, first name, patronymic, a reply address and content."""
        has_reply_address = bool(self.reply_email or self.reply_postal_address)
        return all(
            (self.requester_last_name, self.requester_first_name, self.requester_patronymic,
             has_reply_address, self.content)
        )  # fmt: skip

"""The request itself: what kind, from whom, as written, and where it stands."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.history import AuditHistory
from common.model_fields import created_at_field, optional_link, staff_field, updated_at_field
from common.models import PersonalDataModel
from common.personal_data import DataCategory as C
from common.personal_data import classify
from subjects.models import Subject
from subjects.representation import REPRESENTATIVE_OTHER, REPRESENTATIVE_PERSONAL, Represented


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to own data")
    RECTIFICATION = "rectification", _("Rectification")
    BLOCKING = "blocking", _("Blocking")
    UNBLOCKING = "unblocking", _("Unblocking")
    ERASURE = "erasure", _("Erasure or destruction")
    WITHDRAWAL = "withdrawal", _("Withdrawal of consent for some purposes")
    WITHDRAWAL_ALL = "withdrawal_all", _("Withdrawal of every consent")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribe")
    # Art. 6: data collected or processed unlawfully, removed from publicly available sources.
    PUBLIC_REMOVAL = "public_removal", _("Removal from public sources")
    COMPLAINT = "complaint", _("Complaint")
    OTHER = "other", _("Other")


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


OPEN_STATUSES = (
    RequestStatus.RECEIVED,
    RequestStatus.AWAITING_INFORMATION,
    RequestStatus.IN_PROGRESS,
)
CLOSED_STATUSES = (RequestStatus.COMPLETED, RequestStatus.REFUSED)


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class AnswerVia(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post or by hand")


@classify(
    subject_path="subject",
    personal={
        "requester_last_name": C.NAME, "requester_first_name": C.NAME,
        "requester_patronymic": C.NAME, "reply_email": C.EMAIL,
        "reply_postal_address": C.LOCATION, "content": C.CORRESPONDENCE,
        "message_subject": C.CORRESPONDENCE, "raw_message": C.CORRESPONDENCE,
        "forwarded_by": C.EMAIL, "answer_subject": C.CORRESPONDENCE,
        "answer_body": C.CORRESPONDENCE, "answer_attachment": C.CORRESPONDENCE,
        **REPRESENTATIVE_PERSONAL,
    },
    other=(
        *REPRESENTATIVE_OTHER,
        "id", "kind", "suggested_kind", "kind_confirmed_at", "kind_confirmed_by", "channel",
        "received_at", "language", "message_digest", "content_digest", "message_id_reused",
        "attachment_to_read", "card_numbers_masked", "subject",
        "candidates", "status", "refusal_reason", "assignee", "deadline_days", "deadline_unit",
        "extension_days", "target_days", "target_date", "due_date", "answer_message_id",
        "answered_at", "answered_via", "created_at", "updated_at",
    ),
)  # fmt: skip
class SubjectRequest(Represented, PersonalDataModel):
    """A request of a data subject, as written, and what became of it."""

    kind = models.CharField(_("kind"), max_length=32, choices=RequestKind.choices)
    # Intake guesses the kind from the wording; a person confirms it (or picks another).
    suggested_kind = models.CharField(
        _("suggested kind"), max_length=32, choices=RequestKind.choices, blank=True
    )
    kind_confirmed_at = models.DateTimeField(_("kind confirmed at"), null=True, blank=True)
    kind_confirmed_by = staff_field(_("kind confirmed by"))
    channel = models.CharField(_("channel"), max_length=16, choices=RequestChannel.choices)
    received_at = models.DateTimeField(_("received at"))
    language = models.CharField(
        _("language of the answer"), max_length=2, choices=settings.LANGUAGES, default="kk"
    )
    # The requester as written in the request; the policy requires all of these.
    requester_last_name = models.CharField(_("last name"), max_length=150, blank=True)
    requester_first_name = models.CharField(_("first name"), max_length=150, blank=True)
    requester_patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    reply_email = models.EmailField(_("reply e-mail"), blank=True)
    reply_postal_address = models.TextField(_("reply postal address"), blank=True)
    content = models.TextField(_("content"), blank=True)
    # What came by e-mail. The digest identifies the message (its Message-ID, or its bytes when
    # it has none) and reveals nothing, so it outlives erasure: re-reading the mailbox after an
    # erasure must not bring the request, and the person, back.
    message_subject = models.CharField(_("subject line"), max_length=998, blank=True)
    raw_message = models.FileField(
        _("original message (.eml)"), upload_to="requests/messages/", blank=True
    )
    # NULL, not "": the pair (message_digest, content_digest) is unique only where both are set.
    message_digest = models.CharField(  # noqa: DJ001
        _("message digest"), max_length=64, null=True, blank=True, editable=False, db_index=True
    )
    # A Message-ID is only the sender's word: another letter may carry one already seen. The
    # digest of what the letter says tells them apart (empty on requests read before it was).
    content_digest = models.CharField(  # noqa: DJ001
        _("content digest"), max_length=64, null=True, blank=True, editable=False
    )
    message_id_reused = models.BooleanField(
        _("Message-ID reused"),
        default=False,
        help_text=_(
            "Another letter with the same Message-ID but other content was received before."
        ),
    )
    forwarded_by = models.EmailField(_("forwarded by"), blank=True)
    attachment_to_read = models.BooleanField(
        _("read the attachment"),
        default=False,
        help_text=_("The letter has no text: what is asked is in its attachment (a scan, say)."),
    )
    card_numbers_masked = models.BooleanField(
        _("card numbers masked"),
        default=False,
        help_text=_(
            "The letter held payment card numbers; all but their last four digits were removed."
        ),
    )
    subject = optional_link(Subject, _("matched data subject"), related_name="requests")
    candidates = models.ManyToManyField(
        Subject,
        blank=True,
        related_name="+",
        verbose_name=_("possible data subjects"),
        help_text=_("Subjects whose addresses appear in the letter, when more than one does."),
    )
    status = models.CharField(
        _("status"), max_length=32, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    assignee = staff_field(_("assignee"), related_name="assigned_requests")
    # The rule in force when the request arrived (or its kind was confirmed), kept with the
    # request: the officer changing a rule later does not move deadlines already running.
    deadline_days = models.PositiveSmallIntegerField(_("deadline"), null=True, blank=True)
    deadline_unit = models.CharField(
        _("deadline unit"), max_length=16, choices=DeadlineUnit.choices, blank=True
    )
    extension_days = models.PositiveSmallIntegerField(_("extended by"), default=0)
    # The operator's own shorter target from the rule, when it has one: past it the request is
    # "late", past `due_date` (the legal limit) it is overdue.
    target_days = models.PositiveSmallIntegerField(_("internal target"), null=True, blank=True)
    target_date = models.DateField(
        _("internal target date"), null=True, blank=True, help_text=_("Empty while paused.")
    )
    due_date = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("Empty while the clock is paused.")
    )
    answer_subject = models.CharField(_("answer subject line"), max_length=255, blank=True)
    answer_body = models.TextField(_("answer"), blank=True)
    answer_attachment = models.FileField(
        _("answer attachment"), upload_to="requests/answers/", blank=True
    )
    answer_message_id = models.CharField(
        _("answer Message-ID"), max_length=255, blank=True, editable=False
    )
    answered_at = models.DateTimeField(_("answer sent at"), null=True, blank=True)
    answered_via = models.CharField(
        _("answer sent by"), max_length=8, choices=AnswerVia.choices, blank=True
    )
    created_at = created_at_field(_("created at"))
    updated_at = updated_at_field()

    history = AuditHistory()

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
            # A request closes only with its answer sent (or recorded as sent by post).
            models.CheckConstraint(
                condition=~models.Q(status__in=("completed", "refused"))
                | models.Q(answered_at__isnull=False),
                name="request_closed_has_answer",
                violation_error_message=_("A request is closed only once its answer is sent."),
            ),
            # One request per letter: the same Message-ID with the same content.
            models.UniqueConstraint(
                fields=("message_digest", "content_digest"), name="request_one_per_message"
            ),
        ]
        indexes = [
            models.Index(fields=("status", "due_date"), name="request_status_due_idx"),
            # The admin list, newest first (the changelist adds -id).
            models.Index(fields=("-received_at", "-id"), name="request_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_complete(self) -> bool:
        """The policy asks for last name, first name, patronymic, a reply address and content."""
        return not self.missing_items

    @property
    def missing_items(self) -> list[str]:
        """What the policy requires and the request lacks, as field names."""
        required = {
            "requester_last_name": self.requester_last_name,
            "requester_first_name": self.requester_first_name,
            "requester_patronymic": self.requester_patronymic,
            "reply_address": self.reply_email or self.reply_postal_address,
            # A letter that is only a scan holds its content in the attachment.
            "content": self.content.strip() or self.attachment_to_read,
        }
        return [name for name, value in required.items() if not value]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def kind_confirmed(self) -> bool:
        return self.kind_confirmed_at is not None

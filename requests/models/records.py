"""What happened to a request: its steps, pauses, files, reminders; and what intake kept aside."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.history import AuditHistory
from common.model_fields import created_at_field, staff_field, updated_at_field
from common.models import PersonalDataModel
from common.personal_data import DataCategory as C
from common.personal_data import classify
from consents.models import Consent
from requests.models.request import SubjectRequest


class ActionKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    KIND_CONFIRMED = "kind_confirmed", _("Kind confirmed")
    UPDATED = "updated", _("Details changed")
    INFORMATION_REQUESTED = "information_requested", _("Missing information asked for")
    PAUSED = "paused", _("Clock paused")
    RESUMED = "resumed", _("Clock resumed")
    EXTENDED = "extended", _("Deadline extended")
    FOLLOW_UP = "follow_up", _("Letter from the requester")
    ACCESS_REPORT = "access_report", _("Access report prepared")
    RECTIFIED = "rectified", _("Data rectified")
    BLOCKED = "blocked", _("Data blocked")
    UNBLOCKED = "unblocked", _("Data unblocked")
    CONSENTS_WITHDRAWN = "consents_withdrawn", _("Consents withdrawn")
    ERASED = "erased", _("Data erased")
    REMOVED_FROM_PUBLIC = "removed_from_public", _("Removed from a public source")
    REFUSED = "refused", _("Refusal decided")
    ANSWER_SENT = "answer_sent", _("Answer sent by e-mail")
    ANSWER_POSTED = "answer_posted", _("Answer sent by post")
    ANSWER_FAILED = "answer_failed", _("Answer could not be sent")


# The note is what staff wrote about the step (a refusal's reason, an extension's reason): it may
# name the person, so it is correspondence. Which step, who and when stay after erasure.
@classify(
    subject_path="request__subject",
    personal={"note": C.CORRESPONDENCE},
    other=("id", "request", "kind", "actor", "acted_at", "message_id", "consents"),
)
class RequestAction(PersonalDataModel):
    """One step taken on a request: the request's own record of what was done, by whom, when."""

    request = models.ForeignKey(
        SubjectRequest, on_delete=models.CASCADE, related_name="actions", verbose_name=_("request")
    )
    kind = models.CharField(_("action"), max_length=32, choices=ActionKind.choices)
    actor = staff_field(_("by"))
    acted_at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    # The Message-ID of what this step sent, so that the requester's reply finds its request.
    message_id = models.CharField(_("Message-ID sent"), max_length=255, blank=True, editable=False)
    consents = models.ManyToManyField(
        Consent, blank=True, related_name="request_actions", verbose_name=_("consents")
    )

    history = AuditHistory()

    class Meta:
        verbose_name = _("request action")
        verbose_name_plural = _("request actions")
        ordering = ("acted_at", "pk")

    def __str__(self) -> str:
        return self.get_kind_display()


@classify(
    subject_path="request__subject",
    personal={"note": C.CORRESPONDENCE},
    other=("id", "request", "paused_at", "resumed_at", "paused_by", "resumed_by"),
)
class RequestPause(PersonalDataModel):
    """A time the clock stood still: the operator waited for the requester's information."""

    request = models.ForeignKey(
        SubjectRequest, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("request")
    )
    paused_at = models.DateTimeField(_("paused at"))
    resumed_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    note = models.TextField(_("what was asked for"), blank=True)
    paused_by = staff_field(_("paused by"))
    resumed_by = staff_field(_("resumed by"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("pause of the clock")
        verbose_name_plural = _("pauses of the clock")
        ordering = ("paused_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("request",),
                condition=models.Q(resumed_at__isnull=True),
                name="requestpause_one_open_per_request",
                violation_error_message=_("The clock of this request is already paused."),
            ),
            models.CheckConstraint(
                condition=models.Q(resumed_at__isnull=True)
                | models.Q(resumed_at__gte=models.F("paused_at")),
                name="requestpause_resumed_after_paused",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paused_at:%d.%m.%Y}"


@classify(
    subject_path="request__subject",
    personal={"file": C.CORRESPONDENCE, "filename": C.CORRESPONDENCE},
    other=(
        "id",
        "request",
        "content_type",
        "size",
        "message_digest",
        "content_digest",
        "created_at",
    ),
)
class RequestAttachment(PersonalDataModel):
    """A file that came with the request (a signed application, a scan, a forwarded letter)."""

    request = models.ForeignKey(
        SubjectRequest, on_delete=models.CASCADE, related_name="attachments",
        verbose_name=_("request"),
    )  # fmt: skip
    file = models.FileField(_("file"), upload_to="requests/attachments/")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # Set on a later letter of the requester (kept here whole): it is read only once.
    # NULL, not "": the pair (message_digest, content_digest) is unique only where both are set.
    message_digest = models.CharField(  # noqa: DJ001
        _("message digest"), max_length=64, null=True, blank=True, editable=False, db_index=True
    )
    content_digest = models.CharField(  # noqa: DJ001
        _("content digest"), max_length=64, null=True, blank=True, editable=False
    )
    created_at = created_at_field(_("created at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=("message_digest", "content_digest"), name="attachment_one_per_message"
            ),
        ]

    def __str__(self) -> str:
        return self.filename


# Nobody knows whose letter an unreadable message is: it names no subject, and staff either
# register the request from it by hand or delete it.
@classify(
    subject_path=None,
    personal={"raw_message": C.CORRESPONDENCE},
    other=("id", "source", "error", "message_digest", "received_at", "request"),
)
class UnreadableMessage(PersonalDataModel):
    """A message intake could not turn into a request, kept whole so that nothing is lost."""

    raw_message = models.FileField(_("original message (.eml)"), upload_to="requests/unreadable/")
    source = models.CharField(_("read from"), max_length=500)
    error = models.TextField(_("why it could not be read"))
    message_digest = models.CharField(_("message digest"), max_length=64, unique=True)
    received_at = models.DateTimeField(_("received at"))
    request = models.ForeignKey(
        SubjectRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("registered as request"),
    )  # fmt: skip

    history = AuditHistory()

    class Meta:
        verbose_name = _("unreadable message")
        verbose_name_plural = _("unreadable messages")
        ordering = ("-received_at",)

    def __str__(self) -> str:
        return f"{self.received_at:%d.%m.%Y %H:%M} {self.source}"


# Where intake stopped in each IMAP folder: the last UID read under the folder's UIDVALIDITY.
# The position belongs to the account and the folder (not to the port or the connection
# security, which may change), and to one UIDVALIDITY: UIDs of another are other messages.
@classify(
    subject_path=None,
    other=("id", "host", "user", "folder", "uidvalidity", "last_uid", "updated_at"),
)
class MailboxCursor(models.Model):
    host = models.CharField(_("host"), max_length=255)
    user = models.CharField(_("user"), max_length=255)
    folder = models.CharField(_("folder"), max_length=255)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"))
    last_uid = models.BigIntegerField(_("last UID read"))
    updated_at = updated_at_field()

    class Meta:
        verbose_name = _("mailbox cursor")
        verbose_name_plural = _("mailbox cursors")
        constraints = [
            models.UniqueConstraint(
                fields=("host", "user", "folder", "uidvalidity"), name="mailboxcursor_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}@{self.host} {self.folder}"


@classify(subject_path=None, other=("id", "request", "sent_on", "recipient", "created_at"))
class RequestReminder(models.Model):
    """A deadline reminder sent for a request on a day: one a day at most."""

    request = models.ForeignKey(
        SubjectRequest, on_delete=models.CASCADE, related_name="reminders",
        verbose_name=_("request"),
    )  # fmt: skip
    sent_on = models.DateField(_("sent on"))
    recipient = staff_field(_("sent to"), on_delete=models.SET_NULL)
    created_at = created_at_field(_("created at"))

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=("request", "sent_on"), name="requestreminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.request_id} {self.sent_on:%d.%m.%Y}"


@classify(
    subject_path="request__subject",
    personal={"source": C.CORRESPONDENCE},
    other=("id", "request", "action", "removed_at", "recorded_by", "recorded_at"),
)
class PublicSourceRemoval(PersonalDataModel):
    """Where the subject's data was published without a lawful basis, and when it was removed.

    Art. 6 of the law: removed within one working day of the subject's demand. The place (an
    address on the web, a directory, a noticeboard) may itself name the person, so it is
    correspondence and erasure blanks it; when it was removed stays.
    """

    request = models.ForeignKey(
        SubjectRequest, on_delete=models.CASCADE, related_name="public_removals",
        verbose_name=_("request"),
    )  # fmt: skip
    action = models.OneToOneField(
        RequestAction, on_delete=models.CASCADE, related_name="public_removal",
        verbose_name=_("action"),
    )  # fmt: skip
    source = models.TextField(
        _("where it was published"), help_text=_("The address or the place of publication.")
    )
    removed_at = models.DateTimeField(_("removed at"))
    recorded_by = staff_field(_("recorded by"))
    recorded_at = created_at_field(_("recorded at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("removal from a public source")
        verbose_name_plural = _("removals from public sources")
        ordering = ("removed_at", "pk")

    def __str__(self) -> str:
        return f"{self.removed_at:%d.%m.%Y %H:%M}"

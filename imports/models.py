import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.history import AuditHistory
from common.model_fields import staff_field
from common.personal_data import DataCategory, classify
from consents.models import Purpose
from subjects.models import Subject


class ListKind(models.TextChoices):
    GENERIC = "generic", _("List of subscribers")
    MAILCHIMP_SUBSCRIBED = "mailchimp_subscribed", _("Mailchimp: subscribed members")
    MAILCHIMP_UNSUBSCRIBED = "mailchimp_unsubscribed", _("Mailchimp: unsubscribed members")
    MAILCHIMP_CLEANED = "mailchimp_cleaned", _("Mailchimp: cleaned members")
    UNISENDER = "unisender", _("UniSender contacts")
    BREVO = "brevo", _("Brevo (Sendinblue) contacts")
    SENDPULSE = "sendpulse", _("SendPulse mailing list")
    GOOGLE_FORMS = "google_forms", _("Google Forms responses")
    TILDA = "tilda", _("Tilda leads")


class ImportChannel(models.TextChoices):
    ADMIN = "admin", _("Admin upload")
    COMMAND = "command", _("Command line")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


# The run names the file, never a person (a card number in the file's name or its header is
# blotted out before it gets here); the rejected rows, which do name people, are kept apart
# in RejectedRow, which erasure reaches.
@classify(
    subject_path=None,
    other=(
        "id", "file_name", "sha256", "purpose", "list_kind", "encoding", "delimiter", "header",
        "channel", "rows", "created", "updated", "unchanged", "suppressed", "withdrawn",
        "duplicates", "rejected", "imported_by", "imported_at", "state", "written",
        "options", "error",
    ),
)  # fmt: skip
class ImportRun(models.Model):
    """One file imported into the registers: what it was, who imported it, what it changed.

    Written only by the import service, in the import's transaction, and only when the import
    changed something: re-importing an unchanged file leaves no trace at all.
    """

    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    purpose = models.ForeignKey(
        Purpose, on_delete=models.PROTECT, related_name="+", verbose_name=_("purpose")
    )
    list_kind = models.CharField(_("kind of list"), max_length=32, choices=ListKind.choices)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=1, blank=True)
    header = models.JSONField(_("columns of the file"), default=list, blank=True)
    channel = models.CharField(_("imported through"), max_length=16, choices=ImportChannel.choices)
    rows = models.PositiveIntegerField(_("rows"))
    created = models.PositiveIntegerField(_("subjects created"))
    updated = models.PositiveIntegerField(_("subjects updated"))
    unchanged = models.PositiveIntegerField(_("unchanged"))
    suppressed = models.PositiveIntegerField(_("suppressed"))
    withdrawn = models.PositiveIntegerField(_("consents withdrawn"))
    duplicates = models.PositiveIntegerField(_("duplicates merged"))
    rejected = models.PositiveIntegerField(_("rows rejected"))
    imported_by = staff_field(_("imported by"))
    imported_at = models.DateTimeField(_("imported at"))
    # An admin import runs as a job (imports.tasks): its state, and its progress as it goes.
    state = models.CharField(
        _("state"), max_length=16, choices=ImportState.choices, default=ImportState.DONE
    )
    written = models.PositiveIntegerField(_("rows written"), default=0)
    options = models.JSONField(_("import options"), default=dict, blank=True)
    error = models.TextField(_("why it failed"), blank=True)

    history = AuditHistory()

    class Meta:
        verbose_name = _("mailing-list import")
        verbose_name_plural = _("mailing-list imports")
        ordering = ("-imported_at", "-id")

    def __str__(self) -> str:
        return self.file_name


# The file of an import started from the admin, in parts of a few megabytes (a list of any size
# never passes through memory whole). Staged when its preview is shown, kept only until the
# preview is confirmed or expires (imports.services.uploads), then while the import's job waits
# or runs: the job deletes it in the transaction that imports it (or records its failure).
# Erasure cancels a staged or waiting file that names the person. Not in any history, never shown.
@classify(
    subject_path=None,
    personal={"content": DataCategory.CORRESPONDENCE},
    other=("id", "run", "stage", "number", "staged_by", "staged_at"),
)
class ImportUpload(models.Model):
    run = models.ForeignKey(
        ImportRun,
        on_delete=models.CASCADE,
        related_name="upload_parts",
        null=True,
        blank=True,
        verbose_name=_("import"),
    )
    # Which uploaded file the part belongs to (the confirm step names it) and its place in it.
    stage = models.UUIDField(_("uploaded file"), default=uuid.uuid4)
    number = models.PositiveIntegerField(_("part"), default=0)
    staged_by = staff_field(_("uploaded by"), on_delete=models.CASCADE)
    staged_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    content = models.BinaryField(_("file waiting to be imported"))

    class Meta:
        verbose_name = _("file waiting to be imported")
        verbose_name_plural = _("files waiting to be imported")
        constraints = [
            models.UniqueConstraint(fields=("stage", "number"), name="importupload_part_once")
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.number}"


@classify(
    subject_path="subject",
    personal={"reason": DataCategory.CORRESPONDENCE, "cells": DataCategory.CORRESPONDENCE},
    other=("id", "run", "line", "subject"),
)
class RejectedRow(models.Model):
    """A row of an imported file that was not imported: its line, why, and its own cells.

    Kept with the import so that it can be downloaded again, corrected and re-imported. The
    person the row names is linked when the registers know their address: erasing them blanks
    the row's cells and reason as it blanks everything else of theirs. Card numbers were blotted
    out of the cells before they got here.
    """

    run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="rejected_rows", verbose_name=_("import")
    )
    line = models.PositiveIntegerField(_("line"))
    reason = models.TextField(_("reason"), blank=True)
    cells = models.JSONField(_("cells"), default=list, blank=True)
    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject"),
    )

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ("run", "line")

    def __str__(self) -> str:
        return f"{self.run_id}:{self.line}"

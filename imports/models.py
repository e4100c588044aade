from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.history import AuditHistory
from common.personal_data import classify
from consents.models import Purpose


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


# The run names the file, never a person: rejected rows are reported to the importer and not
# kept here, so erasing someone never has to look into this table.
@classify(
    subject_path=None,
    other=(
        "id", "file_name", "sha256", "purpose", "list_kind", "encoding", "channel", "rows",
        "created", "updated", "unchanged", "suppressed", "withdrawn", "duplicates", "rejected",
        "imported_by", "imported_at",
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
    channel = models.CharField(_("imported through"), max_length=16, choices=ImportChannel.choices)
    rows = models.PositiveIntegerField(_("rows"))
    created = models.PositiveIntegerField(_("subjects created"))
    updated = models.PositiveIntegerField(_("subjects updated"))
    unchanged = models.PositiveIntegerField(_("unchanged"))
    suppressed = models.PositiveIntegerField(_("suppressed"))
    withdrawn = models.PositiveIntegerField(_("consents withdrawn"))
    duplicates = models.PositiveIntegerField(_("duplicates merged"))
    rejected = models.PositiveIntegerField(_("rows rejected"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("mailing-list import")
        verbose_name_plural = _("mailing-list imports")
        ordering = ("-imported_at", "-id")

    def __str__(self) -> str:
        return self.file_name

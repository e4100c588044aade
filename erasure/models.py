from django.db import models
from django.utils.translation import gettext_lazy as _

from common.model_fields import created_at_field, optional_link, staff_field
from common.personal_data import classify
from requests.models import SubjectRequest
from subjects.models import Subject


class ErasureOutcome(models.TextChoices):
    ERASED = "erased", _("Erased")
    REFUSED = "refused", _("Refused")


# The log is the record of the erasure itself: it names the subject by id only, so it survives the
# erasure it describes and can replay it after a backup is restored.
@classify(
    subject_path=None,
    other=(
        "id", "subject", "outcome", "refusal_reason", "reason", "request", "actor", "created_at",
        "counts", "replay_of",
    ),
)  # fmt: skip
class ErasureLog(models.Model):
    """One erasure (or refused erasure) of a subject: who, when, why; never what was erased."""

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="erasures", verbose_name=_("data subject")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=ErasureOutcome.choices)
    refusal_reason = models.TextField(_("why it was refused"), blank=True)
    reason = models.CharField(_("reason"), max_length=255)
    request = optional_link(SubjectRequest, _("request"), related_name="erasures")
    actor = staff_field(_("by"))
    created_at = created_at_field(_("at"))
    counts = models.JSONField(_("what was blanked"), default=dict, blank=True)
    replay_of = models.PositiveBigIntegerField(
        _("replay of log entry"),
        null=True,
        blank=True,
        help_text=_("Set when a restored backup was erased again from the journal."),
    )

    class Meta:
        verbose_name = _("erasure log entry")
        verbose_name_plural = _("erasure log")
        ordering = ("-created_at",)
        permissions = [("erase_subject", _("Can erase data subjects"))]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} #{self.pk}"

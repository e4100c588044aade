"""What the privacy officer sets: deadline rules and answer templates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.history import AuditHistory
from common.model_fields import updated_at_field
from common.personal_data import classify
from requests.models.request import DeadlineUnit, RequestKind
from requests.rendering import template_errors
from requests.rule_texts import rule_text

# The answer template of a reasoned refusal (its period is in each kind's rule).
DEADLINE_REFUSAL = "refusal"
# Not a request: the notice owed to a subject of a transfer of their data (Art. 19(1)), counted
# from the day of the transfer (processors.notices).
DEADLINE_TRANSFER_NOTICE = "transfer_notice"
DEADLINE_KEYS = [
    *RequestKind.choices,
    (DEADLINE_TRANSFER_NOTICE, _("Notice of a transfer to a third party")),
]


@classify(
    subject_path=None,
    other=(
        "id", "key", "days", "unit", "article", "basis", "target_days", "target_basis",
        "refusal_days", "refusal_basis", "updated_at",
    ),
)  # fmt: skip
class DeadlineRule(models.Model):
    """How long the operator has to answer a kind of request; the privacy officer edits these.

    `days` is the legal limit (past it a request is overdue); `target_days`, when set, is the
    operator's own shorter target (past it a request is late). A reasoned refusal of the kind is
    due within `refusal_days`. All are counted in `unit` from the day after receipt.
    """

    key = models.CharField(_("applies to"), max_length=32, choices=DEADLINE_KEYS, unique=True)
    days = models.PositiveSmallIntegerField(
        _("legal limit"), help_text=_("Past it the request is overdue.")
    )
    unit = models.CharField(_("counted in"), max_length=16, choices=DeadlineUnit.choices)
    article = models.CharField(
        _("article"), max_length=100, help_text=_("The article of the law that sets the limit.")
    )
    basis = models.TextField(_("basis"), blank=True, help_text=_("The article or rule behind it."))
    target_days = models.PositiveSmallIntegerField(
        _("internal target"),
        null=True,
        blank=True,
        help_text=_("Optional, shorter than the legal limit; past it the request is late."),
    )
    target_basis = models.TextField(
        _("basis of the internal target"), blank=True, help_text=_("Who set it and why.")
    )
    refusal_days = models.PositiveSmallIntegerField(
        _("reasoned refusal within"),
        default=3,  # the shortest answer period of the law (access, Art. 25(2)(6))
        help_text=_("A reasoned refusal of this kind is due within these days from receipt."),
    )
    refusal_basis = models.TextField(_("basis of the refusal period"), blank=True)
    updated_at = updated_at_field()

    history = AuditHistory()

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ("key",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gte=1), name="deadlinerule_days_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(refusal_days__gte=1), name="deadlinerule_refusal_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(target_days__isnull=True)
                | models.Q(target_days__gte=1, target_days__lt=models.F("days")),
                name="deadlinerule_target_shorter",
                violation_error_message=_(
                    "The internal target must be shorter than the legal limit."
                ),
            ),
        ]

    def __str__(self) -> str:
        article = rule_text(self.article)
        return f"{self.get_key_display()}: {self.days} {self.get_unit_display()} ({article})"

    def clean(self) -> None:
        if self.target_days is not None and self.days and self.target_days >= self.days:
            raise ValidationError(
                {"target_days": _("The internal target must be shorter than the legal limit.")}
            )
        if self.target_days is not None and not self.target_basis.strip():
            raise ValidationError({"target_basis": _("Say who set the internal target and why.")})


ANSWER_INCOMPLETE = "incomplete"
ANSWER_KEYS = [
    *RequestKind.choices,
    (DEADLINE_REFUSAL, _("Reasoned refusal")),
    (ANSWER_INCOMPLETE, _("Request for missing information")),
]


@classify(
    subject_path=None,
    other=("id", "key", "language", "subject_template", "body_template", "updated_at"),
)
class AnswerTemplate(models.Model):
    """The text of an answer, per kind and language, in Django's template language."""

    key = models.CharField(_("answer to"), max_length=32, choices=ANSWER_KEYS)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    subject_template = models.CharField(_("subject line"), max_length=255)
    body_template = models.TextField(_("text"))
    updated_at = updated_at_field()

    history = AuditHistory()

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ("key", "language")
        constraints = [
            models.UniqueConstraint(fields=("key", "language"), name="answertemplate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} ({self.language})"

    def clean(self) -> None:
        errors = template_errors(subject=self.subject_template, body=self.body_template)
        if errors:
            raise ValidationError(errors)

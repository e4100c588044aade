"""What the privacy officer sets: deadline rules and answer templates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.history import AuditHistory
from common.personal_data import classify
from requests.models.request import DeadlineUnit, RequestKind
from requests.rendering import template_errors

DEADLINE_REFUSAL = "refusal"
DEADLINE_KEYS = [*RequestKind.choices, (DEADLINE_REFUSAL, _("Reasoned refusal (any kind)"))]


@classify(subject_path=None, other=("id", "key", "days", "unit", "basis", "updated_at"))
class DeadlineRule(models.Model):
    """How long the operator has to answer a kind of request; the privacy officer edits these."""

    key = models.CharField(_("applies to"), max_length=32, choices=DEADLINE_KEYS, unique=True)
    days = models.PositiveSmallIntegerField(_("days"))
    unit = models.CharField(_("counted in"), max_length=16, choices=DeadlineUnit.choices)
    basis = models.TextField(_("basis"), blank=True, help_text=_("The article or rule behind it."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = AuditHistory()

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ("key",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gte=1), name="deadlinerule_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.days} {self.get_unit_display()}"


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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

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

"""The breach register: incidents of personal-data security, what was done, and who was affected.

Law 94-V Art. 25(2)(8): the operator tells the authorised body of a breach within one working day
of detecting it. The rules of notification (Order No. 481/НҚ of 9 August 2024) say what the notice
holds, including the people to be notified afterwards: last name, first name, patronymic, IIN and
mobile phone. Those values are never copied here: an incident points at the subjects, and the
list is read from the subject register when it is needed, so erasure reaches it (an erased person
stays in the count, and leaves the list).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import MultipleChoiceField
from common.history import AuditHistory
from common.model_fields import created_at_field, optional_link, staff_field, updated_at_field
from common.personal_data import DataCategory, classify
from processors.models import Processor
from requests.models import DeadlineUnit, SubjectRequest
from subjects.models import Subject


class IncidentKind(models.TextChoices):
    UNAUTHORISED_ACCESS = "unauthorised_access", _("Unauthorised access")
    LOSS = "loss", _("Loss")
    DISCLOSURE = "disclosure", _("Unlawful disclosure")
    ALTERATION = "alteration", _("Unlawful alteration")
    DESTRUCTION = "destruction", _("Unlawful destruction")
    UNAVAILABILITY = "unavailability", _("Unavailability")


class IncidentState(models.TextChoices):
    OPEN = "open", _("Open")
    NOTIFIED = "notified", _("Authorised body notified")
    CLOSED = "closed", _("Closed")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class NoticeChannel(models.TextChoices):
    PORTAL = "portal", _("The authorised body's portal (e-government)")
    ELECTRONIC_DOCUMENT = "electronic_document", _("Electronic document management system")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter by post")
    IN_PERSON = "in_person", _("Handed in person")


class AffectedSource(models.TextChoices):
    PICKED = "picked", _("Picked in the admin")
    LIST = "list", _("Matched from an uploaded list")
    SELECTOR = "selector", _("Data in a category at a processor")
    COMPLAINT = "complaint", _("The complainant")


NOTICE_RULE = "authority_notice"
RULE_KEYS = [(NOTICE_RULE, _("Notice of a breach to the authorised body"))]


# The texts describe the breach and what was done, written by staff; the people are in the
# affected list, never in these fields. Who detected it is a role or an organisation (a
# subject's complaint is linked, not copied). The responsible person is staff (Art. 25(3)).
@classify(
    subject_path=None,
    other=(
        "id", "detected_at", "detected_by", "detection_method", "kind", "description",
        "systems", "processors", "data_categories", "subjects", "risk_level", "risk_assessment",
        "responsible_person", "responsible_person_contacts", "complaint_request", "state",
        "deadline_days", "deadline_unit", "due_date", "notified_at", "notified_via",
        "authority_reference", "notified_by", "closed_at", "closed_by", "closing_note",
        "opened_by", "created_at", "updated_at",
    ),
)  # fmt: skip
class Incident(models.Model):
    """A breach of personal-data security, from detection to the authorised body's notice."""

    detected_at = models.DateTimeField(_("detected at"))
    detected_by = models.CharField(
        _("detected by"),
        max_length=255,
        help_text=_("A role or an organisation (a processor, the IT administrator, a subject's "
                    "complaint); not a data subject's name."),
    )  # fmt: skip
    detection_method = models.TextField(_("how it was detected"), blank=True)
    kind = models.CharField(_("kind of breach"), max_length=32, choices=IncidentKind.choices)
    description = models.TextField(
        _("description"), help_text=_("What happened. Name no data subject here.")
    )
    systems = models.TextField(_("systems involved"), blank=True)
    processors = models.ManyToManyField(
        Processor, related_name="incidents", blank=True, verbose_name=_("processors involved")
    )
    data_categories = MultipleChoiceField(
        _("categories of personal data affected"), item_choices=DataCategory.choices
    )
    subjects = models.ManyToManyField(
        Subject,
        through="AffectedSubject",
        related_name="incidents",
        blank=True,
        verbose_name=_("affected data subjects"),
    )
    risk_level = models.CharField(
        _("risk to the subjects"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    risk_assessment = models.TextField(_("risk assessment"), blank=True)
    responsible_person = models.CharField(
        _("responsible person"),
        max_length=255,
        blank=True,
        help_text=_("The person responsible for organising the processing (Art. 25 of the Law)."),
    )
    responsible_person_contacts = models.CharField(
        _("responsible person's contacts"), max_length=255, blank=True
    )
    complaint_request = optional_link(SubjectRequest, _("complaint"), related_name="incidents")
    state = models.CharField(
        _("state"), max_length=16, choices=IncidentState.choices, default=IncidentState.OPEN
    )
    # The rule in force when the incident was opened, as on requests.
    deadline_days = models.PositiveSmallIntegerField(_("deadline (days)"), null=True, blank=True)
    deadline_unit = models.CharField(
        _("counted in"), max_length=16, choices=DeadlineUnit.choices, blank=True
    )
    due_date = models.DateField(_("notify the authorised body by"), null=True, blank=True)
    notified_at = models.DateTimeField(_("authorised body notified at"), null=True, blank=True)
    notified_via = models.CharField(
        _("notified through"), max_length=32, choices=NoticeChannel.choices, blank=True
    )
    authority_reference = models.CharField(
        _("authorised body's reference"), max_length=255, blank=True
    )
    notified_by = staff_field(_("notified by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = staff_field(_("closed by"))
    closing_note = models.TextField(_("closing note"), blank=True)
    opened_by = staff_field(_("opened by"))
    created_at = created_at_field(_("created at"))
    updated_at = updated_at_field()

    history = AuditHistory()

    class Meta:
        verbose_name = _("breach incident")
        verbose_name_plural = _("breach register")
        ordering = ("-detected_at", "-pk")
        indexes = [models.Index(fields=("state", "due_date"), name="incident_state_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="open")
                | (models.Q(notified_at__isnull=False) & ~models.Q(notified_via="")),
                name="incident_notified_has_notice",
                violation_error_message=_("A notified incident records when and how."),
            ),
            models.CheckConstraint(
                condition=~models.Q(state="closed") | models.Q(closed_at__isnull=False),
                name="incident_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}" if self.pk else "#"


@classify(
    subject_path="subject",
    other=("id", "incident", "subject", "source", "added_at", "added_by"),
)
class AffectedSubject(models.Model):
    """One subject affected by an incident: a pointer, never a copy of the person's values."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="affected", verbose_name=_("incident")
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="+", verbose_name=_("data subject")
    )
    source = models.CharField(_("found by"), max_length=16, choices=AffectedSource.choices)
    added_at = models.DateTimeField(_("added at"))
    added_by = staff_field(_("added by"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("affected data subject")
        verbose_name_plural = _("affected data subjects")
        constraints = [
            models.UniqueConstraint(fields=("incident", "subject"), name="affected_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.incident_id} / {self.subject_id}"


@classify(
    subject_path=None,
    other=("id", "incident", "taken_at", "description", "recorded_by", "created_at"),
)
class IncidentMeasure(models.Model):
    """A measure taken to stop the breach or its effects: a dated log, added to, never edited."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="measures", verbose_name=_("incident")
    )
    taken_at = models.DateTimeField(_("taken at"))
    description = models.TextField(_("measure"), help_text=_("Name no data subject here."))
    recorded_by = staff_field(_("recorded by"))
    created_at = created_at_field(_("recorded at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("measure taken")
        verbose_name_plural = _("measures taken")
        ordering = ("taken_at", "pk")

    def __str__(self) -> str:
        return f"#{self.incident_id} {self.taken_at:%d.%m.%Y %H:%M}" if self.taken_at else "—"


@classify(subject_path=None, other=("id", "key", "days", "unit", "basis", "updated_at"))
class NotificationRule(models.Model):
    """How long the operator has to notify the authorised body; the privacy officer edits it."""

    key = models.CharField(_("applies to"), max_length=32, choices=RULE_KEYS, unique=True)
    days = models.PositiveSmallIntegerField(_("days"))
    unit = models.CharField(_("counted in"), max_length=16, choices=DeadlineUnit.choices)
    basis = models.TextField(_("basis"), blank=True, help_text=_("The article or rule behind it."))
    updated_at = updated_at_field()

    history = AuditHistory()

    class Meta:
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gte=1), name="notificationrule_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.days} {self.get_unit_display()}"


@classify(subject_path=None, other=("id", "incident", "sent_on", "created_at"))
class IncidentReminder(models.Model):
    """A deadline reminder sent for an incident on a day: one a day at most."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("incident")
    )
    sent_on = models.DateField(_("sent on"))
    created_at = created_at_field(_("created at"))

    class Meta:
        verbose_name = _("incident reminder")
        verbose_name_plural = _("incident reminders")
        constraints = [
            models.UniqueConstraint(fields=("incident", "sent_on"), name="incidentreminder_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.incident_id} {self.sent_on:%d.%m.%Y}"

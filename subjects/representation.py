"""Who may act for the subject: a legal representative (Arts. 7, 8, 10, 24 of Law No. 94-V).

A consent and a request may be given by the subject "or their legal representative": a parent
or guardian of a minor, or an attorney under a power of attorney. Both record who it was, in
what capacity and under which document. Subjects under 18 (from the date of birth) are minors:
a consent for them needs a representative.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.personal_data import DataCategory as C

ADULT_AGE = 18


class RepresentativeRelation(models.TextChoices):
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")
    ATTORNEY = "attorney", _("Attorney (power of attorney)")


# For the models' @classify: the representative's name and document are personal data (erasure
# of the subject blanks them with the record); the capacity and the document's date are not.
REPRESENTATIVE_PERSONAL = {
    "representative_name": C.NAME,
    "representative_document": C.CORRESPONDENCE,
}
REPRESENTATIVE_OTHER = ("representative_relation", "representative_document_date")
REPRESENTATIVE_FIELDS = (
    "representative_name", "representative_relation", "representative_document",
    "representative_document_date",
)  # fmt: skip


class Represented(models.Model):
    """The legal representative who acted for the subject, when one did."""

    representative_name = models.CharField(
        _("legal representative"), max_length=255, blank=True,
        help_text=_("Last name, first name, patronymic of who acted for the subject, if anyone."),
    )  # fmt: skip
    representative_relation = models.CharField(
        _("acting as"), max_length=16, choices=RepresentativeRelation.choices, blank=True
    )
    representative_document = models.CharField(
        _("representative's document"), max_length=255, blank=True,
        help_text=_(
            "E.g. birth certificate No. …, guardianship order No. …, power of attorney No. …"
        ),
    )  # fmt: skip
    representative_document_date = models.DateField(
        _("date of the document"), null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def represented(self) -> bool:
        return bool(self.representative_name.strip())

    def representative_shown(self) -> str:
        """ "Name (parent; birth certificate No. 1 of 02.03.2015)", or "" when nobody acted."""
        if not self.represented:
            return ""
        document = self.representative_document
        if self.representative_document_date:
            document = _("%(document)s of %(date)s") % {
                "document": document,
                "date": self.representative_document_date.strftime("%d.%m.%Y"),
            }
        relation = self.get_representative_relation_display()
        return f"{self.representative_name} ({relation}; {document})"


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(birth_date: date | None, *, on: date) -> bool:
    """Under 18 on `on`; unknown when no date of birth is recorded (then not flagged)."""
    return birth_date is not None and age_on(birth_date, on) < ADULT_AGE


def adult_born_before(today: date) -> date:
    """Born on or before this date: 18 or older on `today` (29 February: 1 March if no leap)."""
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:
        return date(today.year - ADULT_AGE, 3, 1)


def representative_check(values: Mapping[str, Any]) -> None:
    """A representative is recorded whole or not at all: name, capacity, document and its date.

    Checked where a representative is entered (the consent service, the consent and request
    forms), not by the model: erasure blanks the name and document and keeps the rest.
    """
    given = {name: values.get(name) for name in REPRESENTATIVE_FIELDS}
    if any(given.values()) and not all(given.values()):
        raise ValidationError(
            {
                name: _("A representative needs a name, a capacity, a document and its date.")
                for name, value in given.items()
                if not value
            }
        )


def representative_form_clean(form: forms.BaseForm, cleaned: Mapping[str, Any]) -> None:
    """Put the refusals of `representative_check` beside the form's fields."""
    if not set(REPRESENTATIVE_FIELDS) <= set(form.fields):
        return
    try:
        representative_check(cleaned)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(name, message)

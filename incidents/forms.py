"""Forms of the breach register's pages (the incident itself is edited on its admin page)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.utils.translation import gettext_lazy as _

from common.admin_pickers import labelled, picker_label_of
from common.personal_data import DataCategory
from incidents.models import Incident, IncidentKind, NoticeChannel
from processors.models import Processor
from subjects.models import Subject

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeasureForm(forms.Form):
    taken_at = forms.DateTimeField(label=_("Taken at"), widget=DATETIME_WIDGET)
    description = forms.CharField(
        label=_("Measure"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("What was done to stop the breach or its effects. Name no data subject."),
    )


class AffectedForm(forms.Form):
    """Three ways to say who was affected; any of them, together or apart."""

    subjects = forms.ModelMultipleChoiceField(
        label=_("Pick data subjects"), queryset=Subject.objects.all(), required=False
    )
    list_text = forms.CharField(
        label=_("Or paste a list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=_("E-mail addresses, phone numbers or IINs, one or more per line."),
    )
    list_file = forms.FileField(
        label=_("Or upload a list"),
        required=False,
        help_text=_("A CSV or text file (UTF-8) of e-mail addresses, phone numbers or IINs."),
    )
    category = forms.ChoiceField(
        label=_("Or everyone with data in the category"),
        choices=[("", "—"), *DataCategory.choices],
        required=False,
    )
    processor = forms.ModelChoiceField(
        label=_("held by the processor"), queryset=Processor.objects.all(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subjects"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - declared above
        labelled(field, picker_label_of(Subject, admin.site))  # namesakes told apart
        field.widget = AutocompleteSelectMultiple(Incident._meta.get_field("subjects"), admin.site)
        field.widget.choices = field.choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("category")) != bool(cleaned.get("processor")):
            raise forms.ValidationError(_("Choose both a category and a processor, or neither."))
        if not any(
            cleaned.get(name) for name in ("subjects", "list_text", "list_file", "category")
        ):
            raise forms.ValidationError(_("Say who was affected in one of the ways below."))
        upload = cleaned.get("list_file")
        if upload:
            try:
                cleaned["list_file_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("list_file", _("The file is not UTF-8 text."))
        return cleaned


class NotifyForm(forms.Form):
    notified_at = forms.DateTimeField(label=_("Sent at"), widget=DATETIME_WIDGET)
    via = forms.ChoiceField(label=_("Sent through"), choices=NoticeChannel.choices)
    reference = forms.CharField(
        label=_("The authorised body's reference"),
        max_length=255,
        required=False,
        help_text=_("The registration number or receipt the authorised body gave."),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("How the incident ended"), widget=forms.Textarea(attrs={"rows": 4, "cols": 80})
    )


class ComplaintIncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of breach"), choices=IncidentKind.choices)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("What the complaint says happened, in your words. Name no data subject."),
    )

"""Forms of the request admin's action pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consents.models import Purpose
from requests.models import RequestKind, SubjectRequest
from requests.selectors import match_suggestions
from requests.services.fulfilment import RECTIFIABLE_FIELDS
from subjects.models import Subject
from subjects.selectors import subjects_writable


class ConfirmForm(forms.Form):
    """An action that needs nothing but the click that confirms it."""


class KindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)


def subject_label(subject: Subject) -> str:
    """A person as a picker shows them: namesakes told apart by e-mail and year of birth."""
    details = [subject.email] if subject.email else []
    if subject.birth_date:
        details.append(str(_("born %(year)d")) % {"year": subject.birth_date.year})
    return f"{subject} — {', '.join(details)}" if details else str(subject)


class MatchForm(forms.Form):
    """The kind of the request and the person it is about, confirmed in one step."""

    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    subject = forms.ModelChoiceField(
        label=_("Data subject"),
        queryset=subjects_writable(),
        required=False,
        widget=forms.RadioSelect,
    )
    other = forms.ModelChoiceField(
        label=_("Someone else"),
        queryset=subjects_writable(),
        required=False,
        help_text=_("Search by name, e-mail or phone when the person is not among those above."),
    )

    def __init__(self, *args: Any, subject_request: SubjectRequest, **kwargs: Any) -> None:
        from django.contrib import admin
        from django.contrib.admin.widgets import AutocompleteSelect

        super().__init__(*args, **kwargs)
        # Only the people the request names are listed (the register holds a million).
        self.fields["subject"].widget.choices = [
            ("", _("Nobody we hold data on")),
            *((s.pk, subject_label(s)) for s in match_suggestions(subject_request)),
        ]
        other = self.fields["other"]
        other.widget = AutocompleteSelect(SubjectRequest._meta.get_field("subject"), admin.site)
        other.widget.choices = other.choices  # type: ignore[attr-defined]  # the selected one

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("other") is not None:
            cleaned["subject"] = cleaned["other"]
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PauseForm(forms.Form):
    note = forms.CharField(
        label=_("What the requester was asked for"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=60)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded on the request and kept with its history."),
    )  # fmt: skip


class PublicRemovalForm(forms.Form):
    source = forms.CharField(
        label=_("Where it was published"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The address or the place of publication; one place per record."),
    )  # fmt: skip
    removed_at = forms.DateTimeField(
        label=_("Removed at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Goes into the answer to the requester: say it the way they should read it."),
    )


class RectifyForm(forms.ModelForm):
    class Meta:
        model = Subject
        fields = RECTIFIABLE_FIELDS


class WithdrawForm(forms.Form):
    purposes = forms.ModelMultipleChoiceField(
        label=_("Withdraw the consents for"),
        queryset=Purpose.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, purposes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purposes"].queryset = Purpose.objects.filter(pk__in=[p.pk for p in purposes])  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject line"), max_length=255, widget=forms.TextInput(attrs={"size": 90})
    )
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 18, "cols": 90}))


class ReplyForm(AnswerForm):
    """The answer that closes a request; an access answer may carry the report as JSON too."""

    with_json = forms.BooleanField(
        label=_("Attach the report as JSON too"),
        required=False,
        help_text=_("Only when the requester asks for their data in a machine-readable form."),
    )

    def __init__(self, *args: Any, report: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not report:  # no report goes with this answer
            del self.fields["with_json"]


class EraseAnswerForm(AnswerForm):
    confirm = forms.BooleanField(
        label=_(
            "Erase this subject's personal data everywhere, history included. It cannot be undone."
        ),
    )


class PostedForm(AnswerForm):
    sent_at = forms.DateTimeField(
        label=_("Sent at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(
        label=_("How it was sent"), required=False,
        help_text=_("E.g. registered letter number, or handed over in person."),
    )  # fmt: skip

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from requests.models import SubjectRequest
from requests.models.request import OPEN_STATUSES
from subjects.models import Subject


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("E.g. the request number. No personal data: this stays after the erasure."),
    )
    request = forms.ModelChoiceField(
        label=_("Request asking for erasure"),
        queryset=SubjectRequest.objects.none(),
        required=False,
        help_text=_("Only the open requests of the subjects being erased."),
    )
    confirm_irreversible = forms.BooleanField(
        label=_("I understand that the erasure cannot be undone."), required=True
    )

    def __init__(self, *args: Any, subjects: Iterable[Subject] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["request"]
        field.queryset = SubjectRequest.objects.filter(
            subject__in=[subject.pk for subject in subjects], status__in=OPEN_STATUSES
        ).order_by("-received_at")


class EraseWithoutBasisForm(forms.Form):
    """The confirmation of erasing people processed without a legal basis (Art. 18(3-1))."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_(
            "E.g. how they were found. No personal data: this stays after the erasure. The "
            "record says Art. 18(3-1) by itself."
        ),
    )
    confirm_irreversible = forms.BooleanField(
        label=_("I understand that the erasure cannot be undone."), required=True
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from requests.models import SubjectRequest


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("E.g. the request number. No personal data: this stays after the erasure."),
    )
    request = forms.ModelChoiceField(
        label=_("Request asking for erasure"),
        queryset=SubjectRequest.objects.order_by("-received_at"),
        required=False,
    )
    confirm_irreversible = forms.BooleanField(
        label=_("I understand that the erasure cannot be undone."), required=True
    )

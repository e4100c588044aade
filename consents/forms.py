"""Intermediate forms of the consent admin's actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consents.models import RefusalGround, WithdrawalChannel

# The ways a person withdraws; "ended by erasure" is set by the erasure service only.
ARRIVAL_CHANNELS = [
    (value, label)
    for value, label in WithdrawalChannel.choices
    if value != WithdrawalChannel.ERASURE
]


class WithdrawForm(forms.Form):
    channel = forms.ChoiceField(label=_("How the withdrawal arrived"), choices=ARRIVAL_CHANNELS)
    reason = forms.CharField(
        label=_("Reason for the record"),
        max_length=255,
        help_text=_("E.g. the request number or the date of the letter."),
    )


class RefuseWithdrawalForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground (Art. 8(2))"), choices=RefusalGround.choices)
    detail = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Which law or which unfulfilled obligation prevents the withdrawal."),
    )
    channel = forms.ChoiceField(label=_("How the withdrawal arrived"), choices=ARRIVAL_CHANNELS)

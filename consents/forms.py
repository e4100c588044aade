"""Forms of the consent admin: its add form and the intermediate forms of its actions."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.admin import ReasonedModelForm
from common.workdays import local_date
from consents.models import RefusalGround, WithdrawalChannel
from consents.services import ConsentError, consent_give_check
from subjects.representation import representative_form_clean

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


# Which field a refusal of consent_give_check belongs beside.
CHECK_FIELDS = {
    "erased": "subject",
    "countries_without_transfer": "cross_border_countries",
    "minor_without_representative": "representative_name",
}


class ConsentAddForm(ReasonedModelForm):
    """The admin's consent form: a new consent is refused here, beside its fields, for the
    reasons the service would refuse it."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None:
            representative_form_clean(self, cleaned)
        if self.instance.pk is None and cleaned.get("subject") and cleaned.get("purpose"):
            try:
                consent_give_check(
                    subject=cleaned["subject"],
                    purpose=cleaned["purpose"],
                    cross_border_transfer=bool(cleaned.get("cross_border_transfer")),
                    cross_border_countries=cleaned.get("cross_border_countries") or (),
                    given_on=local_date(cleaned["given_at"]) if cleaned.get("given_at") else None,
                    representative_name=cleaned.get("representative_name") or "",
                )
            except ConsentError as error:
                self.add_error(CHECK_FIELDS.get(error.code or ""), error)
        return cleaned

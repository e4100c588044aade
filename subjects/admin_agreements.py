"""Agreement data in the admin: masked for everyone, decrypted (and logged) only with permission."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, ReasonedModelForm, ViewOnlyAdminMixin, acting_user
from common.encryption import MASK
from subjects import agreements
from subjects.admin_erased import ErasedSubjectReadOnly
from subjects.admin_inlines import Panel, add_subject_panel
from subjects.agreement_values import ENCRYPTED_AGREEMENT_FIELDS
from subjects.models import AccessContext, AgreementData, AgreementDataAccess
from subjects.services import subject_is_erased

_REVEALED = "_agreement_data_revealed"


class AgreementDataForm(ReasonedModelForm):
    """The model's own encrypted fields stay out of the form: plain fields stand in for them."""

    # Labels come from the model's fields (see __init__).
    passport_number = forms.CharField(required=False, max_length=20)
    passport_issued_by = forms.CharField(required=False, max_length=255)
    passport_issued_on = forms.DateField(required=False)
    bank_name = forms.CharField(required=False, max_length=255)
    bank_bic = forms.CharField(required=False, max_length=11)
    bank_account = forms.CharField(required=False, max_length=34)

    plain_initial: dict[str, str] = {}

    class Meta:
        model = AgreementData
        fields = ("subject", "agreement_number", "agreement_date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ENCRYPTED_AGREEMENT_FIELDS:
            if name in self.fields:  # labels as the admin writes those of model fields
                self.fields[name].label = capfirst(AgreementData._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        for name, value in self.plain_initial.items():
            self.initial[name] = value


@admin.register(AgreementData)
class AgreementDataAdmin(ErasedSubjectReadOnly, HistoryAdmin):
    list_display = (
        "subject",
        "agreement_number",
        "agreement_date",
        "passport_on_file",
        "updated_at",
    )
    search_fields = ("agreement_number", "subject__last_name", "subject__email")
    list_select_related = ("subject",)
    autocomplete_fields = ("subject",)
    form = AgreementDataForm
    show_full_result_count = False

    def _may_reveal(self, request: HttpRequest) -> bool:
        return agreements.may_reveal(acting_user(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._may_reveal(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_reveal(request)

    @admin.display(description=_("passport"))
    def passport_on_file(self, obj: AgreementData) -> str:
        return MASK if obj.passport_number else "—"

    def get_fieldsets(self, request: HttpRequest, obj: AgreementData | None = None) -> list:
        values = (
            list(ENCRYPTED_AGREEMENT_FIELDS)
            if self._may_reveal(request)
            else [f"masked_{name}" for name in ENCRYPTED_AGREEMENT_FIELDS]
        )
        fieldsets = [
            (None, {"fields": ("subject", "agreement_number", "agreement_date")}),
            (_("Passport and payment requisites (encrypted)"), {"fields": values}),
        ]
        if self.has_change_permission(request, obj) or (
            obj is None and self.has_add_permission(request)
        ):
            fieldsets.append(self.reason_fieldset)
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: AgreementData | None = None) -> tuple:
        if self._may_reveal(request):
            return ()
        return tuple(f"masked_{name}" for name in ENCRYPTED_AGREEMENT_FIELDS)

    def get_form(self, request: HttpRequest, obj: AgreementData | None = None, **kwargs: Any):
        form = super().get_form(request, obj, **kwargs)
        if obj is None or not self._may_reveal(request):
            return form
        revealed = getattr(request, _REVEALED, None)
        if revealed is None and request.method == "POST":
            # The submitted values are compared with the stored ones to find what changed;
            # nothing of these is shown (an invalid form shows what was typed).
            revealed = {n: agreements.unsealed(getattr(obj, n)) for n in ENCRYPTED_AGREEMENT_FIELDS}
        elif revealed is None:
            # Other pages built on this form (an old version in the history) show masks only.
            revealed = {n: MASK if getattr(obj, n) else "" for n in ENCRYPTED_AGREEMENT_FIELDS}
        return type(form.__name__, (form,), {"plain_initial": revealed})

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "GET" and self._may_reveal(request):
            agreement = self.get_object(request, object_id)
            if agreement is not None:
                values = agreements.agreement_data_reveal(
                    agreement=agreement,
                    actor=acting_user(request),
                    context=AccessContext.ADMIN_PAGE,
                )
                setattr(request, _REVEALED, values)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip() and self._may_reveal(request):
            by_passport = agreements.agreements_find_by_passport(passport_number=search_term)
            results = results | queryset.filter(pk__in=by_passport.values("pk"))
        return results, duplicates

    def save_model(
        self, request: HttpRequest, obj: AgreementData, form: forms.ModelForm, change: bool
    ) -> None:
        names = form.changed_data if change else [*form.Meta.fields, *ENCRYPTED_AGREEMENT_FIELDS]  # type: ignore[attr-defined]
        data = {n: form.cleaned_data[n] for n in names if n not in {"change_reason", "subject"}}
        reason = self.reason_from(form, change)
        if change:
            # The form put every value on `obj` as plaintext; unchanged ones keep their ciphertext.
            stored = AgreementData.objects.get(pk=obj.pk)
            for name in set(ENCRYPTED_AGREEMENT_FIELDS) - set(form.changed_data):
                setattr(obj, name, getattr(stored, name))
            agreements.agreement_data_update(
                agreement=obj, actor=acting_user(request), reason=reason, data=data
            )
        else:
            saved = agreements.agreement_data_record(
                subject=form.cleaned_data["subject"],
                actor=acting_user(request),
                reason=reason,
                data=data,
            )
            self.adopt_saved(obj, saved)


def _masked_display(name: str) -> Any:
    @admin.display(description=AgreementData._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    def show(modeladmin: AgreementDataAdmin, obj: AgreementData) -> str:
        return MASK if getattr(obj, name) else "—"

    return show


# masked_<field>: what users without the permission see in place of each value.
for _name in ENCRYPTED_AGREEMENT_FIELDS:
    setattr(AgreementDataAdmin, f"masked_{_name}", _masked_display(_name))


@admin.register(AgreementDataAccess)
class AgreementDataAccessAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Who saw decrypted agreement data, when: read-only, nobody edits or deletes it."""

    list_display = ("viewed_at", "viewed_by", "agreement", "context", "fields")
    list_filter = ("context",)
    list_select_related = ("viewed_by", "agreement")
    date_hierarchy = "viewed_at"
    show_full_result_count = False


@add_subject_panel(50)
def agreement_data_panel(request: HttpRequest, subject: Any) -> Panel | None:
    """The person's agreements, values masked (they are revealed, and the view logged, on the
    agreement's own page); a user who may not see agreement data is told so in place."""
    title = str(_("Agreement data"))
    if not agreements.may_reveal(acting_user(request)):
        return Panel(
            title=title,
            refused=str(
                _(
                    "Your role does not allow you to see agreement data (passport data and "
                    "payment requisites). Ask the privacy officer if you need them."
                )
            ),
        )
    found = list(
        AgreementData.objects.filter(subject=subject).order_by("-agreement_date", "-pk")[:20]
    )
    return Panel(
        title=title,
        headers=[_("agreement number"), _("agreement date"), _("passport"), _("updated at")],
        rows=[
            [
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:subjects_agreementdata_change", args=[agreement.pk]),
                    agreement.agreement_number or f"#{agreement.pk}",
                ),
                agreement.agreement_date,
                MASK if agreement.passport_number else "—",
                agreement.updated_at,
            ]
            for agreement in found
        ],
        empty=str(_("No agreement data.")),
        links=[
            (
                str(_("Add agreement data")),
                reverse("admin:subjects_agreementdata_add") + f"?subject={subject.pk}",
            )
        ]
        if request.user.has_perm("subjects.add_agreementdata") and not subject_is_erased(subject)
        else [],
    )

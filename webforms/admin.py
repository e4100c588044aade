"""Admin of the Tilda webhook: form mappings, and the submissions per form with their state."""

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, acting_user
from webforms.models import SubmissionState, TildaConsentBox, TildaForm, TildaSubmission
from webforms.services import (
    HoldReason,
    submission_accept_changes,
    submissions_process,
    tilda_form_save,
)
from webforms.tilda import decoded_fields

REASON_LABELS = {
    HoldReason.NO_CONTACT: _("The form gave neither an e-mail nor a phone number."),
    HoldReason.ERASED: _("The person was erased: a new registration is for staff to decide."),
    HoldReason.BLOCKED: _("The subject is blocked: nothing is applied while the block lasts."),
    HoldReason.NO_CONSENT_TEXT: _(
        "A consent box was ticked, but the mapping names no consent text version."
    ),
    "not_utf8": _("The body is not UTF-8."),
    "too_many_fields": _("The body has more fields than allowed."),
    "malformed": _("The body is not form-encoded."),
    "no_ids": _("The body lacks Tilda's formid or tranid."),
}


class TildaConsentBoxInline(admin.TabularInline):
    model = TildaConsentBox
    extra = 1


@admin.register(TildaForm)
class TildaFormAdmin(HistoryAdmin):
    list_display = ("formid", "name_kk", "name_ru", "name_en", "language", "policy_version")
    search_fields = ("formid", "name_kk", "name_ru", "name_en")
    list_select_related = ("policy_version",)
    fieldsets = (
        (None, {"fields": ("formid", "name_kk", "name_ru", "name_en", "language")}),
        (
            _("Fields of the form"),
            {
                "fields": (
                    "name_field",
                    "email_field",
                    "phone_field",
                    "city_field",
                    "organisation_field",
                ),
            },
        ),
        (_("Consent"), {"fields": ("policy_version",)}),
    )
    inlines = (TildaConsentBoxInline,)

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: forms.Form, change: bool
    ) -> None:
        # Its submissions that waited for this mapping are applied once it (and its boxes) commit.
        tilda_form_save(
            form=cast(TildaForm, obj),
            actor=acting_user(request),
            reason=self.reason_from(form, change),
        )


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return list(SubmissionState.choices)

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.filter(state=self.value()) if self.value() else queryset


@admin.register(TildaSubmission)
class TildaSubmissionAdmin(HistoryAdmin):
    list_display = ("received_at", "formid", "form", "tranid", "state", "subject", "processed_at")
    list_filter = (StateFilter, "form")
    search_fields = ("=formid", "=tranid")
    list_select_related = ("form", "subject")
    readonly_fields = (
        "formid", "form", "tranid", "received_at", "state", "reason", "subject", "processed_at",
        "body_size", "fields_received", "changes_proposed",
    )  # fmt: skip
    fields = readonly_fields
    actions = ("process_again", "accept_proposed_changes")
    show_full_result_count = False
    date_hierarchy = "received_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # only Tilda adds submissions

    def has_delete_permission(
        self, request: HttpRequest, obj: TildaSubmission | None = None
    ) -> bool:
        return False  # evidence of consent: erasure blanks it, nobody deletes it

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> list:
        return [(None, {"fields": self.readonly_fields})]  # nothing to change, so no reason

    @admin.display(description=_("why"))
    def reason(self, obj: TildaSubmission) -> str:
        return str(REASON_LABELS.get(obj.state_reason, obj.state_reason))

    @admin.display(description=_("fields received"))
    def fields_received(self, obj: TildaSubmission) -> str:
        fields = decoded_fields(obj.body)
        if not fields:
            raw = bytes(obj.body or b"")[:2000]
            return format_html("<code>{}</code>", raw.decode("utf-8", errors="backslashreplace"))
        rows = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", fields.items())
        return format_html("<table>{}</table>", rows)

    @admin.display(description=_("proposed changes"))
    def changes_proposed(self, obj: TildaSubmission) -> str:
        rows = format_html_join(
            "", "<tr><th>{}</th><td>{}</td></tr>", (obj.proposed_changes or {}).items()
        )
        return format_html("<table>{}</table>", rows) if obj.proposed_changes else "-"

    @admin.action(permissions=["change"], description=_("Process the selected submissions again"))
    def process_again(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        counts = submissions_process(
            submissions=queryset.order_by("received_at"), actor=acting_user(request)
        )
        summary = ", ".join(f"{SubmissionState(k).label}: {n}" for k, n in sorted(counts.items()))
        self.message_user(request, _("Processed: %(summary)s") % {"summary": summary})

    @admin.action(
        permissions=["change"], description=_("Accept the changes the selected submissions propose")
    )
    def accept_proposed_changes(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        accepted = 0
        for submission in queryset.filter(subject__isnull=False).exclude(proposed_changes={}):
            try:
                submission_accept_changes(submission=submission, actor=acting_user(request))
            except ValidationError as error:
                self.message_user(
                    request, f"#{submission.pk}: {'; '.join(error.messages)}", messages.ERROR
                )
            else:
                accepted += 1
        self.message_user(request, _("Changes accepted: %(count)d") % {"count": accepted})

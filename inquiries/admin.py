from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, ReasonedModelForm, acting_user
from common.errors import DomainError
from inquiries import services
from inquiries.models import AuthorityInquiry


class InquiryForm(ReasonedModelForm):
    within_working_days = forms.IntegerField(
        label=_("or answer within (working days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("When the inquiry gives a period rather than a date."),
    )

    class Meta:
        model = AuthorityInquiry
        fields = (
            "received_on", "body_kind", "body", "reference_number", "subject_matter", "subjects",
            "document", "due_on", "answered_on", "answer_document",
        )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "due_on" in self.fields and not self.instance.pk:
            self.fields["due_on"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        answered_on = cleaned.get("answered_on")
        if answered_on and answered_on > timezone.localdate():
            self.add_error("answered_on", _("An answer is recorded once sent, not before."))
        if not self.instance.pk and cleaned.get("received_on"):
            try:
                cleaned["due_on"] = services.inquiry_due_on(
                    received_on=cleaned["received_on"],
                    due_on=cleaned.get("due_on"),
                    within_working_days=cleaned.get("within_working_days"),
                )
            except DomainError as error:
                self.add_error("due_on", error.text)
        return cleaned


class OverdueFilter(admin.SimpleListFilter):
    title = _("answer")
    parameter_name = "answer"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("open", _("Not answered")), ("overdue", _("Overdue")), ("answered", _("Answered"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "open":
            return queryset.filter(answered_on__isnull=True)
        if self.value() == "overdue":
            return queryset.filter(answered_on__isnull=True, due_on__lt=timezone.localdate())
        if self.value() == "answered":
            return queryset.filter(answered_on__isnull=False)
        return queryset


@admin.register(AuthorityInquiry)
class AuthorityInquiryAdmin(HistoryAdmin):
    form = InquiryForm
    list_display = (
        "received_on", "body", "reference_number", "due_on", "answered_on", "subject_count",
    )  # fmt: skip
    list_filter = (OverdueFilter, "body_kind", "received_on")
    search_fields = ("reference_number", "body")
    list_select_related = ("recorded_by",)
    autocomplete_fields = ("subjects",)
    date_hierarchy = "received_on"
    fieldsets = (
        (None, {"fields": ("received_on", "body_kind", "body", "reference_number")}),
        (_("Inquiry"), {"fields": ("subject_matter", "subjects", "document")}),
        (_("Answer"), {"fields": ("due_on", "within_working_days", "answered_on",
                                  "answer_document")}),
    )  # fmt: skip
    # Who asked, when and about whom is fixed once logged; the answer follows.
    fixed_fields = (
        "received_on", "body_kind", "body", "reference_number", "subjects", "due_on",
        "recorded_by", "created_at",
    )  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuthorityInquiry]:
        return super().get_queryset(request).annotate(subject_count=Count("subjects"))

    @admin.display(description=_("subjects"), ordering="subject_count")
    def subject_count(self, inquiry: AuthorityInquiry) -> int:
        return inquiry.subject_count  # type: ignore[attr-defined]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        if obj is None:
            return ()
        return (*self.fixed_fields, "answered_on") if obj.answered_on else self.fixed_fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [
            (title, {**options, "fields": [f for f in options["fields"]
                                           if f != "within_working_days"]})
            for title, options in fieldsets
        ]  # fmt: skip

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is not None:
            # `fields` lists what the page shows; the extra field belongs to the add form only.
            fixed = self.get_readonly_fields(request, obj)
            kwargs["fields"] = [
                *(name for name in InquiryForm.Meta.fields if name not in fixed),
                "change_reason",
            ]
        return super().get_form(request, obj, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the log is the record of what the authority asked and was told

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        reason = self.reason_from(form, change)
        if not change:
            recorded = services.inquiry_record(
                actor=acting_user(request), reason=reason, received_on=data["received_on"],
                body_kind=data["body_kind"], body=data["body"],
                reference_number=data["reference_number"], subject_matter=data["subject_matter"],
                subjects=data["subjects"], due_on=data["due_on"],
                document=data.get("document") or None,
            )  # fmt: skip
            self.adopt_saved(obj, recorded)
            if data.get("answered_on"):
                services.inquiry_answer(
                    inquiry=recorded, answered_on=data["answered_on"], actor=acting_user(request),
                    reason=reason, answer_document=data.get("answer_document") or None,
                )  # fmt: skip
            return
        answered_on = obj.answered_on if "answered_on" in form.changed_data else None
        if answered_on is not None:
            obj.answered_on = None  # recorded by the service below, with its rules
        super().save_model(request, obj, form, change)
        if answered_on is not None:
            services.inquiry_answer(
                inquiry=obj, answered_on=answered_on, actor=acting_user(request), reason=reason
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: list, change: bool) -> None:
        # On add the service has set the subjects; on change they are read-only.
        if change:
            super().save_related(request, form, formsets, change)

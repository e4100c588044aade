from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Field, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, acting_user
from common.admin_export import SafeExportMixin
from common.pagination import EstimatedCountPaginator
from subjects import (
    admin_agreements,  # noqa: F401 (registers the agreement data admin)
    services,
)
from subjects.admin_inlines import (
    subject_action_permissions,
    subject_list_actions,
    subject_page_inlines,
)
from subjects.models import ContactHandle, Subject
from subjects.selectors import subject_search


class ContactHandleInline(admin.TabularInline):
    model = ContactHandle
    extra = 0
    fields = ("kind", "value")


@admin.register(Subject)
class SubjectAdmin(SafeExportMixin, HistoryAdmin):
    list_display = (
        "last_name", "first_name", "patronymic", "email", "phone", "state", "source", "created_at",
    )  # fmt: skip
    list_filter = ("state", "source", "preferred_language")
    # Searched by subject_search, as people type names, e-mails and phones.
    search_fields = ("last_name", "first_name", "patronymic", "email", "phone")
    readonly_fields = ("state", "blocked_at", "erased_at", "created_at", "updated_at")
    fieldsets = (
        (_("Name"), {"fields": ("last_name", "first_name", "patronymic")}),
        (_("Contacts"), {"fields": ("email", "phone", "website", "preferred_language")}),
        (
            _("Personal details"),
            {"fields": ("birth_date", "iin", "country", "city", "address", "photo")},
        ),
        (_("Work"), {"fields": ("position", "organisation")}),
        (_("Source of the data"), {"fields": ("source", "source_detail")}),
        (_("State"), {"fields": ("state", "blocked_at", "erased_at", "created_at", "updated_at")}),
    )
    search_help_text = _(
        "A name or part of one, an e-mail or part of one, or a phone however written."
    )
    show_full_result_count = False
    list_per_page = 50
    paginator = EstimatedCountPaginator

    def formfield_for_dbfield(
        self, db_field: "Field[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "country" and formfield is not None:
            # 250 options, each an included template by default: a third of the page's time.
            formfield.widget.template_name = "common/widgets/select_flat.html"
        return formfield

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Subject], search_term: str
    ) -> tuple[QuerySet[Subject], bool]:
        return subject_search(queryset, search_term), False

    def get_inlines(self, request: HttpRequest, obj: Subject | None) -> list:
        # A new subject has no consents or requests yet: the other apps' lists start on its page.
        return [ContactHandleInline, *(subject_page_inlines if obj else [])]

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        for action, _permission in subject_list_actions:
            if all(self.has_registered_permission(request, name)
                   for name in action.allowed_permissions):  # type: ignore[attr-defined]  # fmt: skip
                actions[action.__name__] = self.get_action(action)
        return actions

    def has_registered_permission(self, request: HttpRequest, name: str) -> bool:
        """Whether the user holds what an action added by a higher app declares it needs."""
        permission = subject_action_permissions.get(name)
        return permission is not None and request.user.has_perm(permission)

    def save_model(
        self, request: HttpRequest, obj: Subject, form: forms.ModelForm, change: bool
    ) -> None:
        names = form.changed_data if change else form.cleaned_data.keys()
        data = {name: form.cleaned_data[name] for name in names if name != "change_reason"}
        reason = self.reason_from(form, change)
        if change:
            services.subject_update(
                subject=obj, actor=acting_user(request), reason=reason, data=data
            )
        else:
            saved = services.subject_create(actor=acting_user(request), reason=reason, data=data)
            self.adopt_saved(obj, saved)

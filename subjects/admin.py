from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Field, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, ReasonedModelForm, acting_user
from common.admin_export import SafeExportMixin
from common.pagination import EstimatedCountPaginator
from common.workdays import local_date
from subjects import (
    admin_agreements,  # noqa: F401 (registers the agreement data admin and its panel)
    services,
)
from subjects.admin_block import block_subjects, unblock_subjects
from subjects.admin_erased import ErasedSubjectReadOnly
from subjects.admin_inlines import (
    subject_action_permissions,
    subject_list_actions,
    subject_list_filters,
    subject_page_inlines,
    subject_page_notes,
)
from subjects.admin_page import history_page, page_parts, picker_label
from subjects.admin_reading import EDIT_VAR, is_editing, read_fieldsets, show_read
from subjects.models import ContactHandle, Subject
from subjects.representation import adult_born_before, is_minor
from subjects.selectors import subject_search


class ContactHandleInline(ErasedSubjectReadOnly, admin.TabularInline):
    model = ContactHandle
    extra = 0
    fields = ("kind", "value")
    subject_path = ""  # the inline's permissions are asked with the subject of the page

    def has_add_permission(self, request: HttpRequest, obj: Subject | None = None) -> bool:
        if self.is_frozen(obj):
            return False
        return super().has_add_permission(request, obj)


class SubjectForm(ReasonedModelForm):
    renewed_by = forms.CharField(
        label=_("How the person gave their data anew"),
        max_length=255,
        required=False,
        help_text=_(
            "Only for a person on the suppression list (erased, unsubscribed): e.g. "
            "'wrote to us on 3 March asking to be registered'. Recorded in the history."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("renewed_by", "").strip():
            refusal = services.subject_creation_refusal(
                email=cleaned.get("email"), phone=cleaned.get("phone")
            )
            if refusal is not None:
                self.add_error("renewed_by", refusal)
        return cleaned


class MinorFilter(admin.SimpleListFilter):
    """Subjects under 18 today, from the date of birth (unknown dates are not minors)."""

    title = _("under 18")
    parameter_name = "minor"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("Under 18"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(birth_date__gt=adult_born_before(local_date(timezone.now())))
        return queryset


@admin.register(Subject)
class SubjectAdmin(ErasedSubjectReadOnly, SafeExportMixin, HistoryAdmin):
    # Columns chosen to fit a 1366 px screen; the patronymic and the source are on the page.
    list_display = (
        "last_name", "first_name", "email", "phone", "state", "minor", "created_at",
    )  # fmt: skip
    list_filter = ("state", MinorFilter, "source", "preferred_language")
    # Searched by subject_search, as people type names, e-mails and phones.
    search_fields = ("last_name", "first_name", "patronymic", "email", "phone")
    readonly_fields = ("state", "blocked_at", "erased_at", "created_at", "updated_at", "minor")
    fieldsets = (
        (_("Name"), {"fields": ("last_name", "first_name", "patronymic")}),
        (_("Contacts"), {"fields": ("email", "phone", "website", "preferred_language")}),
        (
            _("Personal details"),
            {"fields": ("birth_date", "minor", "iin", "country", "city", "address", "photo")},
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
    form = SubjectForm
    subject_path = ""
    renewal_fieldset = (_("Suppression list"), {"fields": ("renewed_by",)})
    paginator = EstimatedCountPaginator
    actions = (block_subjects, unblock_subjects)
    # Namesakes told apart in every picker of a subject (common.admin_pickers).
    picker_label = staticmethod(picker_label)

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

    @admin.display(description=_("under 18"), boolean=True)
    def minor(self, obj: Subject) -> bool:
        return is_minor(obj.birth_date, on=local_date(timezone.now()))

    def get_fieldsets(self, request: HttpRequest, obj: Subject | None = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # only a new subject can be someone erased or unsubscribed before
            fieldsets = [*fieldsets[:-1], self.renewal_fieldset, fieldsets[-1]]
        elif not is_editing(request):  # read: no change to give a reason for
            fieldsets = read_fieldsets(f for f in fieldsets if f != self.reason_fieldset)
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Subject | None = None) -> tuple:
        if obj is not None and not is_editing(request):  # read: every field shown as text
            fieldsets = read_fieldsets(self.fieldsets)
            return tuple(name for _title, options in fieldsets for name in options["fields"])
        return self.readonly_fields

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Subject | None = None,
    ) -> HttpResponse:
        if obj is not None:
            notes = (note(obj) for note in subject_page_notes)
            context["subject_notes"] = [note for note in notes if note]
            context.update(page_parts(request, obj))
            if not is_editing(request):
                show_read(context, request, obj, may_edit=self.has_change_permission(request, obj))
            # The panels get the page's whole width (a 1366 px screen); the breadcrumbs lead back.
            # Rendering the sidebar's list of every register was also an eighth of the page's time.
            context["is_nav_sidebar_enabled"] = False
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_inlines(self, request: HttpRequest, obj: Subject | None) -> list:
        # Handles are edited in place (read, they are a panel); consents, requests and the rest
        # are read-only panels.
        if obj is None:
            return [ContactHandleInline]
        if not is_editing(request):
            return list(subject_page_inlines)
        return [ContactHandleInline, *subject_page_inlines]

    def response_change(self, request: HttpRequest, obj: Subject) -> HttpResponse:
        response = super().response_change(request, obj)
        if "_continue" in request.POST and response.status_code == 302:
            # "Save and continue editing": back to the form, not to the page read.
            joiner = "&" if "?" in response["Location"] else "?"
            response["Location"] += f"{joiner}{EDIT_VAR}=1"
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """One history of the person and everything attached to them, newest first."""
        self._valid_id(object_id)
        subject = self.get_object(request, object_id)
        if subject is None:
            raise Http404
        if not self.has_view_or_change_permission(request, subject):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of %(subject)s") % {"subject": subject},
            "subtitle": None,
            "opts": self.opts,
            "object": subject,
            "original": subject,
            "page": history_page(subject, request.GET.get("p")),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/subjects/subject/object_history.html", context)

    def get_list_filter(self, request: HttpRequest) -> list:
        return [*self.list_filter, *subject_list_filters]

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
        data = {
            name: form.cleaned_data[name]
            for name in names
            if name not in ("change_reason", "renewed_by")
        }
        reason = self.reason_from(form, change)
        if change:
            services.subject_update(
                subject=obj, actor=acting_user(request), reason=reason, data=data
            )
        else:
            saved = services.subject_create(
                actor=acting_user(request),
                reason=reason,
                data=data,
                renewed_by=form.cleaned_data.get("renewed_by", ""),
            )
            self.adopt_saved(obj, saved)

"""Admin building blocks: every change made in the admin carries the user and a written reason."""

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.history import delete_with_history, save_with_history


def acting_user(request: HttpRequest) -> User:
    """The signed-in user an admin page acts for: the one every service records as the actor.

    The admin lets no anonymous request through to its views; one that gets here anyway is
    refused rather than recorded as nobody.
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


class ReasonedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """Adds the reason that goes into the history row; required when an existing row changes."""

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=255,
        required=False,
        help_text=_("Recorded in the history with your name, e.g. 'request of the subject'."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # ModelForm.clean returns the dict
        if self.instance.pk and self.has_changed() and not cleaned.get("change_reason"):
            self.add_error("change_reason", _("Say why this record changes."))
        return cleaned


class HistoryAdmin(SimpleHistoryAdmin):
    """Base admin of every tracked model: history pages, and a reason on every save and delete."""

    form = ReasonedModelForm
    reason_fieldset = (_("Audit"), {"fields": ("change_reason",)})

    def action_checkbox(self, obj: Any) -> str:
        """Django's row checkbox, written in place: rendering it through the widget's templates
        was a quarter of the time of a list page (one per row)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(str(_("Select this object for an action - {}")), str(obj)),
        )

    # `obj` is Any in the hooks below: each admin narrows it to its own model.
    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = list(super().get_fieldsets(request, obj))
        if self.has_change_permission(request, obj) or (
            obj is None and self.has_add_permission(request)
        ):
            named = [name for _title, options in fieldsets for name in options["fields"]]
            if "change_reason" in named:  # Django's default single fieldset lists form fields
                fieldsets = [
                    (
                        title,
                        {
                            **options,
                            "fields": [f for f in options["fields"] if f != "change_reason"],
                        },
                    )
                    for title, options in fieldsets
                ]
            fieldsets.append(self.reason_fieldset)
        return fieldsets

    @staticmethod
    def adopt_saved(obj: models.Model, saved: models.Model) -> None:
        """A service created the row from the form's data: `obj`, which the admin goes on with
        (inlines, messages, the redirect to the new page), takes the saved row's identity."""
        obj.pk, obj._state.adding = saved.pk, False

    @staticmethod
    def reason_from(form: forms.BaseForm, change: bool) -> str:
        written = (
            form.cleaned_data.get("change_reason", "") if hasattr(form, "cleaned_data") else ""
        )
        return written or (
            str(_("Changed in the admin")) if change else str(_("Created in the admin"))
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_with_history(obj, actor=acting_user(request), reason=self.reason_from(form, change))

    def save_formset(
        self, request: HttpRequest, form: forms.Form, formset: Any, change: bool
    ) -> None:
        reason = self.reason_from(form, change)
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            delete_with_history(deleted, actor=acting_user(request), reason=reason)
        for instance in instances:
            save_with_history(instance, actor=acting_user(request), reason=reason)
        formset.save_m2m()

    def _valid_id(self, object_id: str) -> None:
        """simple-history looks ids up as typed: one that can't be a key is a page not found
        (as Django's own object pages answer), not a 500."""
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404 from error

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._valid_id(object_id)
        response: HttpResponse = super().history_view(request, object_id, extra_context)
        return response

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # simple-history saves a POST to this page even with SIMPLE_HISTORY_REVERT_DISABLED:
        # old versions are for reading only, so refuse any POST here.
        if request.method != "GET":
            raise PermissionDenied
        self._valid_id(object_id)
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        delete_with_history(obj, actor=acting_user(request), reason=str(_("Deleted in the admin")))

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        # One by one so that each row leaves its own history entry (QuerySet.delete skips it).
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline that lists related rows; they are changed on their own pages, through services."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


def action_form_page(
    modeladmin: "admin.ModelAdmin[Any]",
    request: HttpRequest,
    queryset: models.QuerySet[Any],
    *,
    form_class: type[forms.Form],
    title: str | Promise,
    action_name: str,
) -> tuple[forms.Form | None, HttpResponse | None]:
    """The intermediate page of an admin action that needs input (a reason, a ground...).

    Returns (valid form, None) when the user has confirmed, else (None, the page to show).
    """
    form = form_class(request.POST if "confirm" in request.POST else None)
    if "confirm" in request.POST and form.is_valid():
        return form, None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "action_name": action_name,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return None, TemplateResponse(request, "admin/action_form.html", context)

"""Admin building blocks: every change made in the admin carries the user and a written reason."""

import json
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common import personal_data
from common.admin_delete import LinkRowsHiddenOnDeleteMixin
from common.admin_pickers import PickerLabelMixin
from common.blanking import record_delete
from common.changelist import ChangeList
from common.history import delete_with_history, save_with_history
from common.history_display import ReadableHistoryHelper
from common.outside_tables import private_label


def is_about_a_person(model: type[models.Model]) -> bool:
    """Rows that describe a data subject (their data or the evidence of what was done to them).

    They are never deleted: a person is forgotten by erasure, which blanks the values and the
    history and keeps the events.
    """
    classification = personal_data.classification_for(model)
    return classification is not None and classification.subject_path is not None


def holds_personal_data(model: type[models.Model]) -> bool:
    classification = personal_data.classification_for(model)
    return classification is not None and (
        bool(classification.personal) or classification.subject_path is not None
    )


def private_repr(obj: models.Model) -> str:
    """How the admin log names an object: by kind and id when it holds personal data.

    Django's log keeps `str(obj)` (a subject's full name) for ever, where erasure cannot see it;
    so nothing personal goes in.
    """
    if holds_personal_data(type(obj)):
        return private_label(type(obj), obj.pk)
    return str(obj)


class PrivateAdminLogMixin:
    """Django's admin log ("Recent actions") without personal data: object names are kind and id
    (`private_repr`), change messages name fields, never values."""

    def _log(
        self, request: HttpRequest, objects: Any, action_flag: int, message: Any = ""
    ) -> list[LogEntry]:
        if isinstance(message, list):
            message = json.dumps(message)
        entries = [
            LogEntry(
                user_id=acting_user(request).pk,
                content_type_id=ContentType.objects.get_for_model(obj, for_concrete_model=False).pk,
                object_id=str(obj.pk),
                object_repr=private_repr(obj)[:200],
                action_flag=action_flag,
                change_message=message,
            )
            for obj in objects
        ]
        for entry in entries:
            entry.save()
        return entries

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> LogEntry:
        return self._log(request, [obj], ADDITION, message)[0]

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> LogEntry:
        return self._log(request, [obj], CHANGE, message)[0]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> list[LogEntry]:
        return self._log(request, queryset, DELETION)

    def construct_change_message(
        self, request: HttpRequest, form: forms.Form, formsets: Any, add: bool = False
    ) -> list[dict[str, Any]]:
        message: list[dict[str, Any]] = super().construct_change_message(  # type: ignore[misc]
            request, form, formsets, add
        )
        # Inline rows are named by str(row) (a handle's account): name them by kind and id.
        names = iter(
            private_repr(obj)
            for formset in formsets or ()
            for obj in [
                *formset.new_objects,
                *(changed for changed, _fields in formset.changed_objects),
                *formset.deleted_objects,
            ]
        )
        for entry in message:
            for details in entry.values():
                if isinstance(details, dict) and "object" in details:
                    details["object"] = next(names, "")
        return message


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


# The label of the row checkbox, Django's words; "{}" is the row's name.
ROW_CHECKBOX_LABEL = gettext_noop("Select this object for an action - {}")


def row_checkbox(pk: Any, name: str, label: str) -> SafeString:
    """The markup of Django's row checkbox; `label` is ROW_CHECKBOX_LABEL translated, which a
    list page translates once for all its rows."""
    return SafeString(
        f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{escape(pk)}" '
        f'class="action-select" aria-label="{label.format(escape(name))}">'
    )


class HistoryAdmin(
    PrivateAdminLogMixin, PickerLabelMixin, LinkRowsHiddenOnDeleteMixin, SimpleHistoryAdmin
):
    """Base admin of every tracked model: history pages, and a reason on every save and delete.

    Rows about a person are never deleted here (erasure forgets people); other rows holding
    personal data are deleted only with their history blanked first (`record_delete`).
    """

    form = ReasonedModelForm
    reason_fieldset = (_("Audit"), {"fields": ("change_reason",)})

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ChangeList

    def action_checkbox(self, obj: Any) -> str:
        """Django's row checkbox, written in place: rendering it through the widget's templates
        was a quarter of the time of a list page (one per row)."""
        return row_checkbox(obj.pk, str(obj), gettext(ROW_CHECKBOX_LABEL))

    # `obj` is Any in the hooks below: each admin narrows it to its own model.
    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = list(super().get_fieldsets(request, obj))
        named = [name for _title, options in fieldsets for name in options["fields"]]
        if "change_reason" in named:  # Django's default single fieldset lists form fields
            fieldsets = [
                (
                    title,
                    {**options, "fields": [f for f in options["fields"] if f != "change_reason"]},
                )
                for title, options in fieldsets
            ]
        # A page that only shows the row asks for no reason (it showed "Change reason: None").
        if self.has_change_permission(request, obj) or (
            obj is None and self.has_add_permission(request)
        ):
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
            # An inline row holding personal data (a handle) is forgotten as it is removed.
            if holds_personal_data(type(deleted)):
                record_delete(deleted, actor=acting_user(request), reason=reason)
            else:
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

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: Any
    ) -> ReadableHistoryHelper:
        return ReadableHistoryHelper(self.model, historical_record)

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

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_about_a_person(self.model):
            return False
        return bool(super().has_delete_permission(request, obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        if is_about_a_person(type(obj)):
            raise PermissionDenied
        reason = str(_("Deleted in the admin"))
        if holds_personal_data(type(obj)):
            record_delete(obj, actor=acting_user(request), reason=reason)
        else:
            delete_with_history(obj, actor=acting_user(request), reason=reason)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        # One by one so that each row leaves its own history entry (QuerySet.delete skips it).
        for obj in queryset:
            self.delete_model(request, obj)


class ViewOnlyAdminMixin:
    """An admin of a log the services write: rows are listed and opened here, never added,
    changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline that lists related rows, every field read-only: they are written by services."""

    extra = 0
    can_delete = False
    show_change_link = False
    # The foreign keys its fields show (who did it), read in the same query as the rows.
    select_related: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).select_related(*self.select_related)

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
    form_kwargs: dict[str, Any] | None = None,
) -> tuple[forms.Form | None, HttpResponse | None]:
    """The intermediate page of an admin action that needs input (a reason, a ground...).

    Returns (valid form, None) when the user has confirmed, else (None, the page to show).
    """
    form = form_class(request.POST if "confirm" in request.POST else None, **(form_kwargs or {}))
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


def action_with_form(
    modeladmin: "admin.ModelAdmin[Any]",
    request: HttpRequest,
    queryset: models.QuerySet[Any],
    run: Callable[[dict[str, Any]], None],
    *,
    form_class: type[forms.Form],
    title: str | Promise,
    action_name: str,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse | None:
    """An admin action that needs input: its page (action_form_page) until the user confirms a
    valid form, then `run` with the form's data (it tells the user what was done)."""
    form, page = action_form_page(
        modeladmin, request, queryset, form_class=form_class, title=title,
        action_name=action_name, form_kwargs=form_kwargs,
    )  # fmt: skip
    if page:
        return page
    run(form.cleaned_data)  # type: ignore[union-attr]
    return None


def stored_file_response(
    file: FieldFile, *, allowed: bool, filename: str, content_type: str
) -> HttpResponse:
    """A stored file as a download; not found when the user may not view it or it is gone
    (erasure blanks it)."""
    if not allowed or not file:
        raise Http404
    return FileResponse(  # type: ignore[return-value]
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )


def raw_email_response(
    request: HttpRequest, modeladmin: "admin.ModelAdmin[Any]", obj: Any, *, filename: str
) -> HttpResponse:
    """The e-mail a row was made from (its raw_message), as received: an .eml download."""
    return stored_file_response(
        obj.raw_message,
        allowed=modeladmin.has_view_permission(request, obj),
        filename=filename,
        content_type="message/rfc822",
    )

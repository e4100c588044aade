"""The admin's side of approvals: the "Approve" action's form and page, shared by every document
the operator approves (the list of personal data, the policy versions)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from common.admin import acting_user, action_with_form
from common.approval import APPROVAL_FIELDS, approval_record
from common.errors import DomainError

# The approval on a version's page: recorded by the "Approve" action, never typed in the form.
APPROVAL_SHOWN = APPROVAL_FIELDS


class ApprovalStateFilter(admin.SimpleListFilter):
    title = _("approval")
    parameter_name = "approved"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Approved")), ("no", _("Not approved"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        approved = Q(approval_order_date__isnull=False) & ~Q(approval_order_number="")
        if self.value() == "yes":
            return queryset.filter(approved)
        if self.value() == "no":
            return queryset.exclude(approved)
        return queryset


class ApprovalForm(forms.Form):
    approved_by = forms.CharField(
        label=_("Approved by"),
        max_length=255,
        help_text=_("Who signed the order: position and name."),
    )
    order_number = forms.CharField(label=_("Order number"), max_length=64)
    order_date = forms.DateField(
        label=_("Order date"), widget=forms.DateInput(attrs={"type": "date"})
    )


def one_selected(
    modeladmin: "admin.ModelAdmin[Any]", request: HttpRequest, queryset: QuerySet[Any]
) -> Any:
    """The one row an action on a single version was run on (None, with a message, otherwise)."""
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Select exactly one version."), messages.WARNING)
        return None
    return queryset.get()


def approve_action(
    modeladmin: "admin.ModelAdmin[Any]", request: HttpRequest, queryset: QuerySet[Any]
) -> HttpResponse | None:
    """Ask for the order, then record it on the one selected version."""
    document = one_selected(modeladmin, request, queryset)
    if document is None:
        return None

    def run(data: dict[str, Any]) -> None:
        act(
            modeladmin, request,
            lambda: approval_record(
                document, approved_by=data["approved_by"], order_number=data["order_number"],
                order_date=data["order_date"], actor=acting_user(request),
                reason=str(_("Approval recorded")),
            ),
            done=_("Approval of “%(document)s” recorded.") % {"document": document},
        )  # fmt: skip

    return action_with_form(
        modeladmin, request, queryset, run, form_class=ApprovalForm,
        title=_("Record the order approving “%(document)s”") % {"document": document},
        action_name="approve",
    )  # fmt: skip


def version_step_action(
    modeladmin: "admin.ModelAdmin[Any]",
    request: HttpRequest,
    queryset: QuerySet[Any],
    step: Callable[..., Any],
    *,
    reason: str,
    done: StrOrPromise,
) -> None:
    """Run a service step on the one selected version (publish it, make it current): the step
    is called with the version, the user and `reason`; `done` names the version as %(version)s."""
    version = one_selected(modeladmin, request, queryset)
    if version is None:
        return None
    act(
        modeladmin, request,
        lambda: step(version=version, actor=acting_user(request), reason=reason),
        done=done % {"version": version},
    )  # fmt: skip
    return None


def act(
    modeladmin: "admin.ModelAdmin[Any]",
    request: HttpRequest,
    step: Callable[[], Any],
    *,
    done: str,
) -> None:
    """Run one service step; its refusal becomes a warning in the reader's language."""
    try:
        step()
    except DomainError as error:
        modeladmin.message_user(request, error.text, messages.ERROR)
        return None
    modeladmin.message_user(request, done, messages.SUCCESS)
    return None

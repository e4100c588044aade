"""Block and unblock in the admin: list actions with a confirmation page asking the reason
(the subject's page has them as buttons)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from common.admin import acting_user, action_with_form
from common.errors import DomainError
from subjects.models import Subject
from subjects.services import subject_block, subject_unblock


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Recorded in the history with your name, e.g. 'request of the subject'."),
    )


def _run(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Subject],
    *,
    service: Callable[..., Subject],
    title: object,
    action_name: str,
    done: str,
) -> HttpResponse | None:

    def run(data: dict[str, Any]) -> None:
        for subject in queryset:
            try:
                service(subject=subject, actor=acting_user(request), reason=data["reason"])
            except DomainError as error:
                modeladmin.message_user(
                    request, f"#{subject.pk}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                modeladmin.message_user(request, done % {"id": subject.pk})

    return action_with_form(
        modeladmin, request, queryset, run, form_class=BlockForm, title=title,  # type: ignore[arg-type]
        action_name=action_name,
    )  # fmt: skip


@admin.action(description=_("Block processing of the selected subjects"), permissions=("change",))
def block_subjects(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Subject]
) -> HttpResponse | None:
    return _run(
        modeladmin, request, queryset, service=subject_block, title=_("Block processing"),
        action_name="block_subjects", done=str(_("Subject #%(id)s blocked.")),
    )  # fmt: skip


@admin.action(description=_("Lift the block of the selected subjects"), permissions=("change",))
def unblock_subjects(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Subject]
) -> HttpResponse | None:
    return _run(
        modeladmin, request, queryset, service=subject_unblock, title=_("Lift the block"),
        action_name="unblock_subjects", done=str(_("Subject #%(id)s unblocked.")),
    )  # fmt: skip

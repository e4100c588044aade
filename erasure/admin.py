from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import ViewOnlyAdminMixin, acting_user, action_with_form
from erasure.forms import EraseForm, EraseWithoutBasisForm
from erasure.models import ErasureLog
from erasure.retention import erase_without_legal_basis, subjects_without_legal_basis
from erasure.selectors import erasure_of
from erasure.services import ErasureError, subject_erase
from subjects.admin_inlines import (
    Button,
    add_subject_action,
    add_subject_button,
    add_subject_filter,
    add_subject_note,
)
from subjects.admin_page import list_action_button
from subjects.models import Subject, SubjectState


@add_subject_note
def erasure_note(subject: Subject) -> str | None:
    """The banner of an erased subject's page: when, by whom, on which request."""
    log = erasure_of(subject)
    if log is None:
        return None
    return _("Erased on %(date)s by %(actor)s (request #%(request)s). Nothing can be changed.") % {
        "date": date_format(timezone.localtime(log.created_at), "DATETIME_FORMAT"),
        "actor": log.actor.get_username() if log.actor else _("retention"),
        "request": log.request_id or "—",
    }


@add_subject_action("erasure.erase_subject")
@admin.action(description=_("Erase the selected subjects (irreversible)"), permissions=("erase",))
def erase_subjects(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Subject]
) -> HttpResponse | None:

    def run(data: dict[str, Any]) -> None:
        asking = data["request"]
        for subject in queryset:
            try:
                subject_erase(
                    subject=subject,
                    actor=acting_user(request),
                    reason=data["reason"],
                    subject_request=asking if asking and asking.subject_id == subject.pk else None,
                )
            except ErasureError as error:
                modeladmin.message_user(request, f"#{subject.pk}: {error}", messages.ERROR)
            else:
                modeladmin.message_user(request, _("Subject #%(id)s erased.") % {"id": subject.pk})

    return action_with_form(
        modeladmin, request, queryset, run, form_class=EraseForm, title=_("Erase subjects"),
        action_name="erase_subjects", form_kwargs={"subjects": queryset},
    )  # fmt: skip


@add_subject_button(30)
def erase_button(request: HttpRequest, subject: Subject) -> Button | None:
    """Erase, through the list action's confirmation page (reason, request, "cannot be undone")."""
    if subject.state == SubjectState.ERASED or not request.user.has_perm("erasure.erase_subject"):
        return None
    return list_action_button(_("Erase"), "erase_subjects", subject, danger=True)


@add_subject_filter
class LegalBasisFilter(admin.SimpleListFilter):
    """Art. 18(3-1): people processed with no consent and no other recorded legal basis."""

    title = _("legal basis")
    parameter_name = "legal_basis"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("none", _("None recorded (Art. 18(3-1))"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "none":
            return queryset.filter(pk__in=subjects_without_legal_basis().values("pk"))
        return queryset


@add_subject_action("erasure.erase_subject")
@admin.action(
    description=_("Erase: processed without a legal basis (Art. 18(3-1))"), permissions=("erase",)
)
def erase_without_basis(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Subject]
) -> HttpResponse | None:
    # Only those still without a basis are shown and erased; the others are left as they are.
    unfounded = queryset.filter(pk__in=subjects_without_legal_basis().values("pk"))
    if not unfounded.exists():
        modeladmin.message_user(
            request,
            _("Every selected subject has a consent or another legal basis: nothing to erase."),
            messages.WARNING,
        )
        return None

    def run(data: dict[str, Any]) -> None:
        done = erase_without_legal_basis(
            subjects=unfounded, actor=acting_user(request), reason=data["reason"]
        )
        count = len(done.erased)
        modeladmin.message_user(
            request,
            ngettext("%(count)d subject erased.", "%(count)d subjects erased.", count)
            % {"count": count},
        )
        if done.skipped:
            modeladmin.message_user(
                request,
                _(
                    "Left as they are (a basis was recorded meanwhile, or the law keeps them): "
                    "#%(ids)s"
                )
                % {"ids": ", #".join(str(pk) for pk in done.skipped)},
                messages.WARNING,
            )

    return action_with_form(
        modeladmin, request, unfounded, run, form_class=EraseWithoutBasisForm,
        title=_("Erase subjects processed without a legal basis"),
        action_name="erase_without_basis",
    )  # fmt: skip


# The log is the audit record of erasures: written by the erasure service only, never edited.
@admin.register(ErasureLog)
class ErasureLogAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "subject", "outcome", "actor", "request", "created_at", "replay_of")
    list_filter = ("outcome",)
    list_select_related = ("subject", "actor", "request")
    readonly_fields = (
        "subject", "outcome", "refusal_reason", "reason", "request", "actor", "created_at",
        "counts", "replay_of",
    )  # fmt: skip
    show_full_result_count = False

"""The list of transfer notices (Art. 19(1)): what is due, and the actions that settle it."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import HistoryAdmin, acting_user, action_form_page
from common.errors import DomainError
from common.workdays import ALMATY
from processors.models import NoticeState, TransferNotice
from processors.notices import (
    transfer_notice_cancel,
    transfer_notice_record_told,
    transfer_notice_send,
)


class DueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("overdue", _("Overdue")), ("pending", _("To send"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        pending = queryset.filter(state=NoticeState.PENDING)
        if self.value() == "overdue":
            return pending.filter(due_date__lt=timezone.localdate(timezone=ALMATY))
        if self.value() == "pending":
            return pending
        return queryset


class ToldForm(forms.Form):
    how = forms.CharField(
        label=_("How the subject was told"),
        max_length=255,
        help_text=_("E.g. a registered letter of 3 March, or a phone call. No other details."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the notice is cancelled"),
        max_length=255,
        help_text=_("E.g. the law forbids telling the subject (an investigation)."),
    )


@admin.register(TransferNotice)
class TransferNoticeAdmin(HistoryAdmin):
    list_display = (
        "subject", "recipient", "cross_border", "transferred_on", "due_date", "state", "sent_at",
        "sent_by",
    )  # fmt: skip
    list_filter = (DueFilter, "state", "cross_border")
    list_select_related = ("subject", "sent_by")
    search_fields = ("recipient", "=subject__email")
    date_hierarchy = "due_date"
    actions = ("send_by_email", "record_told", "cancel")
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("subject", "consent", "state", "due_date")}),
        (
            _("Transfer"),
            {"fields": ("recipient", "cross_border", "transferred_on", "disclosure", "processor")},
        ),
        (_("Notice"), {"fields": ("sent_at", "sent_by", "note", "created_at")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        # Made by the transfers, settled by the actions: nothing is typed in here.
        return tuple(name for _title, options in self.fieldsets for name in options["fields"])

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet[TransferNotice],
        do: Callable[[TransferNotice], object],
        done: Callable[[int], str],
    ) -> None:
        """Settle each pending notice of `queryset`; refusals are told, the rest counted."""
        count = 0
        for notice in queryset.filter(state=NoticeState.PENDING).order_by("pk"):
            try:
                do(notice)
            except DomainError as error:
                self.message_user(request, error.text, messages.WARNING)
            else:
                count += 1
        self.message_user(request, done(count) % {"count": count})

    @admin.action(description=_("Send the notices by e-mail"), permissions=("change",))
    def send_by_email(self, request: HttpRequest, queryset: QuerySet[TransferNotice]) -> None:
        actor = acting_user(request)
        self._each(
            request,
            queryset,
            lambda notice: transfer_notice_send(notice=notice, actor=actor),
            lambda count: ngettext("%(count)d notice sent.", "%(count)d notices sent.", count),
        )

    @admin.action(description=_("Record that the subjects were told another way"),
                  permissions=("change",))  # fmt: skip
    def record_told(
        self, request: HttpRequest, queryset: QuerySet[TransferNotice]
    ) -> HttpResponse | None:
        form, page = action_form_page(
            self, request, queryset, form_class=ToldForm,
            title=_("Record how the subjects were told"), action_name="record_told",
        )  # fmt: skip
        if page:
            return page
        actor, how = acting_user(request), form.cleaned_data["how"]  # type: ignore[union-attr]
        self._each(
            request,
            queryset,
            lambda notice: transfer_notice_record_told(notice=notice, actor=actor, how=how),
            lambda count: ngettext(
                "%(count)d notice recorded.", "%(count)d notices recorded.", count
            ),
        )
        return None

    @admin.action(description=_("Cancel the notices"), permissions=("change",))
    def cancel(
        self, request: HttpRequest, queryset: QuerySet[TransferNotice]
    ) -> HttpResponse | None:
        form, page = action_form_page(
            self, request, queryset, form_class=CancelForm,
            title=_("Cancel transfer notices"), action_name="cancel",
        )  # fmt: skip
        if page:
            return page
        actor, reason = acting_user(request), form.cleaned_data["reason"]  # type: ignore[union-attr]
        self._each(
            request,
            queryset,
            lambda notice: transfer_notice_cancel(notice=notice, actor=actor, reason=reason),
            lambda count: ngettext(
                "%(count)d notice cancelled.", "%(count)d notices cancelled.", count
            ),
        )
        return None

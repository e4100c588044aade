"""What the privacy officer configures, and what intake could not read."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, acting_user, raw_email_response
from common.models import CalendarDay
from requests.models import AnswerTemplate, DeadlineRule, UnreadableMessage
from requests.rule_texts import rule_text
from requests.services.base import RequestError
from requests.services.unreadable import unreadable_retry


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(HistoryAdmin):
    list_display = (
        "key", "shown_article", "days", "target_days", "refusal_days", "unit", "shown_basis",
        "updated_at",
    )  # fmt: skip
    list_filter = ("unit",)
    fieldsets = (
        (None, {"fields": ("key", "unit")}),
        (_("Legal limit"), {"fields": ("days", "article", "basis")}),
        (_("Internal target"), {"fields": ("target_days", "target_basis")}),
        (_("Reasoned refusal"), {"fields": ("refusal_days", "refusal_basis")}),
        (_("As shown"), {"fields": ("shown_article", "shown_basis", "shown_target_basis",
                                    "shown_refusal_basis")}),
    )  # fmt: skip

    def get_readonly_fields(self, request: HttpRequest, obj: DeadlineRule | None = None) -> tuple:
        shown = ("shown_article", "shown_basis", "shown_target_basis", "shown_refusal_basis")
        return ("key", *shown) if obj else shown

    # A seeded text reads in the reader's language; the officer's own text as typed.
    @admin.display(description=_("article"), ordering="article")
    def shown_article(self, rule: DeadlineRule) -> str:
        return rule_text(rule.article)

    @admin.display(description=_("basis"))
    def shown_basis(self, rule: DeadlineRule) -> str:
        return rule_text(rule.basis)

    @admin.display(description=_("basis of the internal target"))
    def shown_target_basis(self, rule: DeadlineRule) -> str:
        return rule_text(rule.target_basis)

    @admin.display(description=_("basis of the refusal period"))
    def shown_refusal_basis(self, rule: DeadlineRule) -> str:
        return rule_text(rule.refusal_basis)


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(HistoryAdmin):
    list_display = ("key", "language", "subject_template", "updated_at")
    list_filter = ("key", "language")
    search_fields = ("subject_template", "body_template")
    fieldsets = (
        (None, {"fields": ("key", "language", "subject_template", "body_template")}),
        (
            _("What a template may use"),
            {
                "fields": (),
                "description": _(
                    "Django template language, plain text. Variables: number, received_on, kind, "
                    "requester_name, last_name, first_name, patronymic, refusal_reason, missing "
                    "(list), actions (list), withdrawn_purposes (list), due_date, report_attached, "
                    "operator_name, operator_email, operator_address, responsible_person, "
                    "representative."
                ),
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: AnswerTemplate | None = None) -> tuple:
        return ("key", "language") if obj else ()


@admin.register(UnreadableMessage)
class UnreadableMessageAdmin(HistoryAdmin):
    list_display = ("received_at", "source", "error", "request")
    list_select_related = ("request",)
    readonly_fields = ("received_at", "source", "error", "download", "request")
    fieldsets = ((None, {"fields": readonly_fields}),)
    actions = ("read_again",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # kept by intake only

    @admin.display(description=_("original message"))
    def download(self, obj: UnreadableMessage) -> str:
        url = reverse("admin:requests_unreadablemessage_raw", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download .eml"))

    @admin.action(description=_("Try to read again"), permissions=("change",))
    def read_again(self, request: HttpRequest, queryset: QuerySet[UnreadableMessage]) -> None:
        made = []
        for message in queryset.filter(request__isnull=True):
            try:
                made.append(unreadable_retry(message=message, actor=acting_user(request)))
            except RequestError as error:
                self.message_user(request, f"#{message.pk}: {error.text}", messages.WARNING)
        level = messages.SUCCESS if made else messages.WARNING
        self.message_user(
            request, _("%(count)d message(s) became requests.") % {"count": len(made)}, level
        )

    def get_urls(self) -> list:
        raw = self.admin_site.admin_view(self.raw_view)
        return [
            path("<int:pk>/message.eml", raw, name="requests_unreadablemessage_raw"),
            *super().get_urls(),
        ]

    def raw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        message = get_object_or_404(UnreadableMessage, pk=pk)
        return raw_email_response(request, self, message, filename=f"unreadable-{pk}.eml")


@admin.register(CalendarDay)
class CalendarDayAdmin(HistoryAdmin):
    """Days the `holidays` package does not know yet: decrees moving days off and worked days."""

    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    search_fields = ("note",)
    date_hierarchy = "date"
    fieldsets = ((None, {"fields": ("date", "kind", "note")}),)

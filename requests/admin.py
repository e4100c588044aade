from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, ReadOnlyInline
from requests.models import SubjectRequest
from subjects.admin_inlines import add_subject_inline


@add_subject_inline
class SubjectRequestInline(ReadOnlyInline):
    model = SubjectRequest
    fields = ("kind", "status", "received_at", "due_date", "channel")
    readonly_fields = fields


@admin.register(SubjectRequest)
class SubjectRequestAdmin(HistoryAdmin):
    list_display = (
        "__str__", "kind", "status", "channel", "received_at", "due_date", "subject", "assignee",
        "complete",
    )  # fmt: skip
    list_filter = ("status", "kind", "channel", "assignee")
    search_fields = ("reply_email", "requester_last_name", "requester_first_name", "subject__email")
    list_select_related = ("subject", "assignee")
    autocomplete_fields = ("subject",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("kind", "channel", "received_at", "status", "assignee", "due_date")}),
        (
            _("Requester as written"),
            {
                "fields": (
                    "requester_last_name",
                    "requester_first_name",
                    "requester_patronymic",
                    "reply_email",
                    "reply_postal_address",
                    "content",
                )
            },
        ),
        (_("Outcome"), {"fields": ("subject", "refusal_reason", "created_at", "updated_at")}),
    )
    date_hierarchy = "received_at"
    show_full_result_count = False

    @admin.display(boolean=True, description=_("complete"))
    def complete(self, obj: SubjectRequest) -> bool:
        return obj.is_complete

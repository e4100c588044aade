from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, ReadOnlyInline
from consents.models import Consent, PolicyVersion, Purpose
from subjects.admin_inlines import add_subject_inline


@add_subject_inline
class ConsentInline(ReadOnlyInline):
    model = Consent
    fields = ("purpose", "state", "given_at", "method", "policy_version", "withdrawn_at")
    readonly_fields = fields
    ordering = ("-given_at",)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("purpose", "policy_version")


@admin.register(Purpose)
class PurposeAdmin(HistoryAdmin):
    list_display = ("code", "__str__", "legal_basis", "is_marketing", "retention_days", "is_active")
    list_filter = ("legal_basis", "is_marketing", "is_active")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "legal_basis",
                    "is_marketing",
                    "retention_days",
                    "is_active",
                    "sort_order",
                )
            },
        ),
        (_("Name"), {"fields": ("name_kk", "name_ru", "name_en")}),
        (_("Description"), {"fields": ("description_kk", "description_ru", "description_en")}),
    )


@admin.register(PolicyVersion)
class PolicyVersionAdmin(HistoryAdmin):
    list_display = ("kind", "version_label", "published_at", "created_at")
    list_filter = ("kind",)
    search_fields = ("version_label",)
    date_hierarchy = "published_at"
    fieldsets = (
        (None, {"fields": ("kind", "version_label", "published_at")}),
        (_("Texts"), {"fields": ("text_kk", "text_ru", "text_en")}),
    )

    def has_delete_permission(self, request: HttpRequest, obj: PolicyVersion | None = None) -> bool:
        # A version some consent was given under is evidence: it can't go (the FK protects it too).
        if obj is not None and obj.consents.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Consent)
class ConsentAdmin(HistoryAdmin):
    list_display = ("subject", "purpose", "state", "given_at", "method", "policy_version")
    list_filter = ("state", "method", "purpose", "cross_border_transfer", "third_party_transfer")
    search_fields = ("subject__email", "subject__last_name", "subject__first_name")
    list_select_related = ("subject", "purpose", "policy_version")
    autocomplete_fields = ("subject",)
    readonly_fields = ("state", "withdrawn_at", "withdrawal_channel", "created_at")
    fieldsets = (
        (None, {"fields": ("subject", "purpose", "given_at", "method", "policy_version")}),
        (_("Evidence"), {"fields": ("evidence", "evidence_file", "evidence_payload")}),
        (
            _("Content of the consent (Art. 8(4))"),
            {
                "fields": (
                    "valid_until",
                    "data_categories",
                    "third_party_transfer",
                    "cross_border_transfer",
                    "cross_border_countries",
                    "public_sources",
                )
            },
        ),
        (_("State"), {"fields": ("state", "withdrawn_at", "withdrawal_channel", "created_at")}),
    )
    show_full_result_count = False

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin
from organisation.models import OperatorProfile


@admin.register(OperatorProfile)
class OperatorProfileAdmin(HistoryAdmin):
    list_display = ("name_kk", "bin", "privacy_email", "responsible_person", "updated_at")
    fieldsets = (
        (_("Operator"), {"fields": ("name_kk", "name_ru", "name_en", "bin", "website")}),
        (
            _("Address and privacy mailbox"),
            {"fields": ("address_kk", "address_ru", "address_en", "privacy_email")},
        ),
        (
            _("Responsible person"),
            {
                "fields": (
                    "responsible_person",
                    "responsible_person_email",
                    "responsible_person_phone",
                )
            },
        ),
        (
            _("Authorised body for personal data"),
            {
                "fields": (
                    "authority_name_kk",
                    "authority_name_ru",
                    "authority_name_en",
                    "authority_address_kk",
                    "authority_address_ru",
                    "authority_address_en",
                    "authority_channel",
                )
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One operator per installation: the profile is created once, then only edited.
        return super().has_add_permission(request) and not OperatorProfile.objects.exists()

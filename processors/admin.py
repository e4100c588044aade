from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin
from processors.models import Processor


@admin.register(Processor)
class ProcessorAdmin(HistoryAdmin):
    list_display = (
        "legal_name", "country", "stores_data_in_kazakhstan", "agreement_number", "active_from",
        "active_to",
    )  # fmt: skip
    list_filter = ("stores_data_in_kazakhstan", "country")
    search_fields = ("legal_name", "registration_number")
    filter_horizontal = ("purposes",)
    fieldsets = (
        (None, {"fields": ("legal_name", "registration_number", "country", "contact")}),
        (
            _("Entrusted processing"),
            {"fields": ("services", "actions", "purposes", "data_categories")},
        ),
        (
            _("Confidentiality and security obligation"),
            {"fields": ("agreement_number", "agreement_date", "agreement_file")},
        ),
        (
            _("Period and location"),
            {"fields": ("active_from", "active_to", "stores_data_in_kazakhstan")},
        ),
    )

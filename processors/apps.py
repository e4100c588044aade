from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessorsConfig(AppConfig):
    name = "processors"
    verbose_name = _("Processors and transfers")

    def ready(self) -> None:
        from common.jobs import callback_register
        from processors.notices import ON_FAILED, transfer_notice_failed

        callback_register(ON_FAILED, transfer_notice_failed)

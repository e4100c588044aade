from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessorsConfig(AppConfig):
    name = "processors"
    verbose_name = _("Processors and transfers")

    def ready(self) -> None:
        from common.jobs import callback_register
        from processors.notices import (
            ON_FAILED,
            processors_begun_reminder_part,
            transfer_notice_failed,
        )
        from requests.services.reminders import add_reminder_part

        callback_register(ON_FAILED, transfer_notice_failed)
        # The daily run also makes the notices of processors whose activity begins.
        add_reminder_part(processors_begun_reminder_part)

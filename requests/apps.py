from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "requests"
    verbose_name = _("Subject requests")

    def ready(self) -> None:
        from common.jobs import callback_register
        from requests.services.answers import answer_failed, answer_sent

        callback_register("requests.answer_sent", answer_sent)
        callback_register("requests.answer_failed", answer_failed)

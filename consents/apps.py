from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentsConfig(AppConfig):
    name = "consents"
    verbose_name = _("Consents")

    def ready(self) -> None:
        from consents.suppression import is_suppressed
        from subjects.services import register_suppression_check

        # Every creating path of a subject asks the suppression list (subjects.services).
        register_suppression_check(is_suppressed)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Breaches of personal-data security")

    def ready(self) -> None:
        # What the breach register adds to the lower apps: `requests` imports none of it.
        from incidents import hooks

        hooks.register()

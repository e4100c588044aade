from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ErasureConfig(AppConfig):
    name = "erasure"
    verbose_name = _("Erasure and retention")

    def ready(self) -> None:
        # What erasure adds to the lower apps: `requests` imports none of it.
        from erasure import hooks

        hooks.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebformsConfig(AppConfig):
    name = "webforms"
    verbose_name = _("Site forms (Tilda)")

    def ready(self) -> None:
        from webforms import checks  # noqa: F401 -- registers the deploy check

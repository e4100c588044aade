from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        # Registers the system check that every field is classified in the personal-data registry.
        from common import checks  # noqa: F401

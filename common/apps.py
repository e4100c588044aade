from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from django.contrib.admin import widgets

        # Registers the system check that every field is classified in the personal-data registry.
        from common import checks  # noqa: F401

        # The admin's search-as-you-type pickers (Select2) in Kazakh: Select2 ships no Kazakh
        # messages, so Django's table of them lacks "kk"; static/admin/js/.../i18n/kk.js has them.
        widgets.SELECT2_TRANSLATIONS.setdefault("kk", "kk")

        # Once per `migrate`, after every app's migrations: guard each history table, new ones too.
        post_migrate.connect(_guard_history_tables, sender=self)


def _guard_history_tables(using: str = "default", **kwargs: object) -> None:
    from django.db import connections

    from common.history_guard import install_guards

    if connections[using].vendor == "postgresql":
        install_guards()

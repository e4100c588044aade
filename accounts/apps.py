from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # Security-log receivers of the login machinery, and the deploy checks.
        from accounts import checks, receivers  # noqa: F401
        from accounts.security_labels import relabel_security_models

        relabel_security_models()

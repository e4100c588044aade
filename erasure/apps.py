from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ErasureConfig(AppConfig):
    name = "erasure"
    verbose_name = _("Erasure and retention")

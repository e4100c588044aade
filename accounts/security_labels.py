"""django-otp and django-axes in the reader's language.

django-otp writes its field names, help texts and fieldset titles as plain English strings (not
marked for translation), and axes names some of its fields in English too. The same English text
is put back here as a lazy translation, so the project's catalogs (locale/) translate it while
the English reads exactly as before (makemigrations sees no change).
"""

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.fields import model_field

if TYPE_CHECKING:  # the stubs' name for a string or a lazy translation (a dev dependency)
    from django_stubs_ext import StrOrPromise

# Model -> field -> (verbose name, help text); None keeps the library's own.
TOTP_FIELDS: "dict[str, tuple[StrOrPromise | None, StrOrPromise | None]]" = {
    "user": (_("user"), _("The user that this device belongs to.")),
    "name": (_("name"), _("The human-readable name of this device.")),
    "confirmed": (_("confirmed"), _("Is this device ready for use?")),
    "created_at": (
        _("created at"),
        _("The date and time when this device was initially created in the system."),
    ),
    "last_used_at": (_("last used at"), _("The most recent date and time this device was used.")),
    "throttling_failure_timestamp": (
        _("throttling failure timestamp"),
        _("A timestamp of the last failed verification attempt. Null if last attempt succeeded."),
    ),
    "throttling_failure_count": (
        _("throttling failure count"),
        _("Number of successive failed attempts."),
    ),
    "key": (_("key"), _("A hex-encoded secret key of up to 40 bytes.")),
    "step": (_("step"), _("The time step in seconds.")),
    "t0": (_("t0"), _("The Unix time at which to begin counting steps.")),
    "digits": (_("digits"), _("The number of digits to expect in a token.")),
    "tolerance": (_("tolerance"), _("The number of time steps in the past or future to allow.")),
    "drift": (
        _("drift"),
        _("The number of time steps the prover is known to deviate from our clock."),
    ),
    "last_t": (
        _("last t"),
        _(
            "The t value of the latest verified token. The next token must be at a higher "
            "time step."
        ),
    ),
}

TOTP_FIELDSETS = {
    "Identity": _("Identity"),
    "Timestamps": _("Timestamps"),
    "Configuration": _("Configuration"),
    "State": _("State"),
    "Throttling": _("Throttling"),
}


def _relabel(
    model: type[models.Model],
    fields: "dict[str, tuple[StrOrPromise | None, StrOrPromise | None]]",
) -> None:
    for name, (verbose_name, help_text) in fields.items():
        field = model_field(model, name)
        if verbose_name is not None:
            field.verbose_name = verbose_name
        if help_text is not None:
            field.help_text = help_text


def _when(moment: Any) -> str:
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _attempt_str(self: Any) -> str:
    return gettext("Failed logins of %(username)s since %(time)s") % {
        "username": self.username,
        "time": _when(self.attempt_time),
    }


def _failure_str(self: Any) -> str:
    text = gettext("Failed login of %(username)s at %(time)s from %(ip)s") % {
        "username": self.username,
        "time": _when(self.attempt_time),
        "ip": self.ip_address,
    }
    return f"{text} ({gettext('locked out')})" if self.locked_out else text


def _log_str(self: Any) -> str:
    return gettext("Login of %(username)s at %(time)s") % {
        "username": self.username,
        "time": _when(self.attempt_time),
    }


def relabel_security_models() -> None:
    """Called once at start-up (accounts' AppConfig.ready)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group, Permission
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.labels import permission_label, role_label

    # Role groups and permissions are named in English in the database (accounts.roles, Django's
    # "Can add ..."): shown everywhere in the reader's language, in pickers, filters and lists.
    Group.__str__ = role_label  # type: ignore[method-assign,assignment]
    Permission.__str__ = permission_label  # type: ignore[method-assign,assignment]
    # axes names its rows in English f-strings; these name them in the reader's language.
    AccessAttempt.__str__ = _attempt_str
    AccessFailureLog.__str__ = _failure_str
    AccessLog.__str__ = _log_str

    _relabel(TOTPDevice, TOTP_FIELDS)
    TOTPDevice._meta.verbose_name = _("TOTP device")
    TOTPDevice._meta.verbose_name_plural = _("TOTP devices")

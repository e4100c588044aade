"""Deploy checks for what `manage.py check --deploy` does not know about.

Each check reads settings only, so `check --deploy` in CI proves the production settings module
keeps Argon2, the lockout, two-factor login, a strict script policy, session limits and
independent encryption keys.
"""

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from common.encryption import parse_keyring

AXES_BACKENDS = {"axes.backends.AxesStandaloneBackend", "axes.backends.AxesBackend"}
UNSAFE_SCRIPT_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"}
MAX_IDLE_SECONDS = 30 * 60
MAX_SESSION_SECONDS = 10 * 60 * 60


def _error(message: str, hint: str, code: int) -> Error:
    return Error(message, hint=hint, id=f"accounts.E{code:03d}")


@register(Tags.security, deploy=True)
def check_passwords(app_configs: Iterable[AppConfig] | None = None, **kwargs: Any) -> list[Error]:
    errors = []
    hashers = list(settings.PASSWORD_HASHERS)
    if not hashers or not hashers[0].endswith(".Argon2PasswordHasher"):
        errors.append(
            _error(
                "Passwords are not hashed with Argon2 first.",
                "Put django.contrib.auth.hashers.Argon2PasswordHasher first in PASSWORD_HASHERS.",
                1,
            )
        )
    validators = {
        item["NAME"].rsplit(".", 1)[-1]: item.get("OPTIONS", {})  # type: ignore[attr-defined, index]
        for item in settings.AUTH_PASSWORD_VALIDATORS
    }
    if validators.get("MinimumLengthValidator", {}).get("min_length", 0) < 12:
        errors.append(
            _error(
                "Passwords may be shorter than 12 characters.",
                "Add MinimumLengthValidator with OPTIONS min_length >= 12.",
                2,
            )
        )
    if "CommonPasswordValidator" not in validators:
        errors.append(
            _error(
                "Common passwords are accepted.",
                "Add CommonPasswordValidator to AUTH_PASSWORD_VALIDATORS.",
                3,
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_lockout(app_configs: Iterable[AppConfig] | None = None, **kwargs: Any) -> list[Error]:
    errors = []
    backends = list(settings.AUTHENTICATION_BACKENDS)
    installed = (
        "axes" in settings.INSTALLED_APPS
        and "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
        and bool(backends)
        and backends[0] in AXES_BACKENDS
        and getattr(settings, "AXES_ENABLED", True)
    )
    if not installed:
        errors.append(
            _error(
                "Login lockout (django-axes) is not installed or not enabled.",
                "Install the app, AxesMiddleware and AxesStandaloneBackend as the first "
                "authentication backend; keep AXES_ENABLED true.",
                4,
            )
        )
    parameters = getattr(settings, "AXES_LOCKOUT_PARAMETERS", None) or []
    by_pair = any(
        sorted(p) == ["ip_address", "username"] for p in parameters if isinstance(p, list)
    )
    by_name_alone = "username" in parameters or ["username"] in parameters
    if getattr(settings, "AXES_FAILURE_LIMIT", 3) > 5 or not by_pair or by_name_alone:
        errors.append(
            _error(
                "Lockout must lock a username from one address after at most 5 failures, and "
                "never a username everywhere (anyone could lock the privacy officer out).",
                'Set AXES_FAILURE_LIMIT <= 5 and AXES_LOCKOUT_PARAMETERS = [["username", '
                '"ip_address"]].',
                5,
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_two_factor(app_configs: Iterable[AppConfig] | None = None, **kwargs: Any) -> list[Error]:
    middleware = list(settings.MIDDLEWARE)
    needed = [
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "accounts.middleware.TwoFactorRequiredMiddleware",
    ]
    in_order = all(name in middleware for name in needed) and [
        middleware.index(name) for name in needed
    ] == sorted(middleware.index(name) for name in needed)
    apps_installed = {"django_otp", "django_otp.plugins.otp_totp"} <= set(settings.INSTALLED_APPS)
    if not (getattr(settings, "OTP_REQUIRED", False) and in_order and apps_installed):
        return [
            _error(
                "Two-factor login is not enforced for staff users.",
                "Set OTP_REQUIRED = True, install django_otp and its TOTP plugin, and list "
                "OTPMiddleware then TwoFactorRequiredMiddleware after AuthenticationMiddleware.",
                6,
            )
        ]
    return []


def _script_sources(directives: dict[str, Any]) -> list[str] | None:
    sources = directives.get("script-src", directives.get("default-src"))
    return [str(source) for source in sources] if sources is not None else None


@register(Tags.security, deploy=True)
def check_content_security_policy(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    sources = _script_sources(policy.get("DIRECTIVES") or {})
    enforced = "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE and sources is not None
    unsafe = sorted(UNSAFE_SCRIPT_SOURCES & set(sources or []))
    if not enforced or unsafe:
        return [
            _error(
                "No enforced Content-Security-Policy with a strict script-src"
                + (f" (it allows {', '.join(unsafe)})" if unsafe else "")
                + ".",
                "Install csp.middleware.CSPMiddleware and set CONTENT_SECURITY_POLICY with "
                "script-src 'self' and nothing inline or evaluated.",
                7,
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_session_limits(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    absolute = getattr(settings, "SESSION_ABSOLUTE_AGE", None)
    within = (
        settings.SESSION_COOKIE_AGE <= MAX_IDLE_SECONDS
        and absolute is not None
        and 0 < absolute <= MAX_SESSION_SECONDS
        and "accounts.middleware.SessionLimitsMiddleware" in settings.MIDDLEWARE
    )
    if not within:
        return [
            _error(
                "Sessions may outlive 30 idle minutes or 10 hours after login.",
                "Set SESSION_COOKIE_AGE <= 1800, SESSION_ABSOLUTE_AGE <= 36000 and install "
                "accounts.middleware.SessionLimitsMiddleware.",
                8,
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_encryption_keys(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    errors = []
    try:
        parse_keyring(list(settings.FIELD_ENCRYPTION_KEYS))
    except ImproperlyConfigured as error:
        return [_error(str(error), "See the README, Production: keys.", 9)]
    secret = settings.SECRET_KEY
    raw_keys = [entry.partition(":")[2].strip() for entry in settings.FIELD_ENCRYPTION_KEYS]
    blind_key = settings.BLIND_INDEX_KEY
    if any(key and (key in secret or secret in key) for key in [*raw_keys, blind_key]):
        errors.append(
            _error(
                "An encryption or blind-index key is derived from SECRET_KEY.",
                "Generate each key on its own (README, Production: keys).",
                10,
            )
        )
    if len(blind_key) < 32 or blind_key in raw_keys:
        errors.append(
            _error(
                "BLIND_INDEX_KEY is short or reuses an encryption key.",
                "Use a random value of at least 32 characters, used for nothing else.",
                11,
            )
        )
    return errors

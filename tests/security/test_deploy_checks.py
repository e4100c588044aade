"""`check --deploy` passes under the production settings, and each project check can fail."""

import pytest
from cryptography.fernet import Fernet

from accounts import checks
from tests.security.production import deploy_check, python


def test_production_settings_pass_the_deploy_check_with_nothing_silenced():
    result = deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deploy_check_fails_on_the_unhardened_base_settings():
    result = deploy_check(DJANGO_SETTINGS_MODULE="config.settings.base")

    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_the_deploy_check_fails_on_a_weak_secret_key():
    result = deploy_check(SECRET_KEY="short")

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_production_settings_are_https_only_with_two_factor_and_no_debug():
    printed = python(
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.OTP_REQUIRED, s.SECURE_HSTS_SECONDS)",
        DEBUG="true",
    )

    assert printed == "False True True True True 31536000"


@pytest.fixture
def production_like(settings):
    """The test settings made as strict as production, so each check passes before we break it."""
    settings.OTP_REQUIRED = True
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    settings.SECRET_KEY = "s" * 50
    settings.FIELD_ENCRYPTION_KEYS = [f"k:{Fernet.generate_key().decode()}"]
    settings.BLIND_INDEX_KEY = "b" * 40
    return settings


ALL_CHECKS = [
    checks.check_passwords,
    checks.check_lockout,
    checks.check_two_factor,
    checks.check_content_security_policy,
    checks.check_session_limits,
    checks.check_encryption_keys,
]


def test_every_project_check_passes_on_production_like_settings(production_like):
    assert [error for check in ALL_CHECKS for error in check()] == []


def _set(name: str, value: object):
    return lambda settings: setattr(settings, name, value)


def _drop(name: str, item: str):
    return lambda settings: setattr(
        settings, name, [entry for entry in getattr(settings, name) if entry != item]
    )


MIN_LENGTH = "django.contrib.auth.password_validation.MinimumLengthValidator"
COMMON = "django.contrib.auth.password_validation.CommonPasswordValidator"
BREAKS = {
    "md5 first": (
        checks.check_passwords, "E001",
        _set("PASSWORD_HASHERS", ["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ),
    "8 characters": (
        checks.check_passwords, "E002",
        _set("AUTH_PASSWORD_VALIDATORS", [{"NAME": MIN_LENGTH}, {"NAME": COMMON}]),
    ),
    "common passwords": (
        checks.check_passwords, "E003",
        _set("AUTH_PASSWORD_VALIDATORS", [{"NAME": MIN_LENGTH, "OPTIONS": {"min_length": 12}}]),
    ),
    "axes middleware removed": (
        checks.check_lockout, "E004", _drop("MIDDLEWARE", "axes.middleware.AxesMiddleware"),
    ),
    "axes backend not first": (
        checks.check_lockout, "E004",
        _set("AUTHENTICATION_BACKENDS", ["django.contrib.auth.backends.ModelBackend",
                                         "axes.backends.AxesStandaloneBackend"]),
    ),
    "axes disabled": (checks.check_lockout, "E004", _set("AXES_ENABLED", False)),
    "lockout by username alone": (
        checks.check_lockout, "E005", _set("AXES_LOCKOUT_PARAMETERS", ["username"]),
    ),
    "ten failures": (checks.check_lockout, "E005", _set("AXES_FAILURE_LIMIT", 10)),
    "two-factor off": (checks.check_two_factor, "E006", _set("OTP_REQUIRED", False)),
    "two-factor middleware removed": (
        checks.check_two_factor, "E006",
        _drop("MIDDLEWARE", "accounts.middleware.TwoFactorRequiredMiddleware"),
    ),
    "inline scripts": (
        checks.check_content_security_policy, "E007",
        _set("CONTENT_SECURITY_POLICY", {"DIRECTIVES": {
            "default-src": ["'self'"], "script-src": ["'self'", "'unsafe-inline'"]}}),
    ),
    "eval": (
        checks.check_content_security_policy, "E007",
        _set("CONTENT_SECURITY_POLICY",
             {"DIRECTIVES": {"default-src": ["'self'", "'unsafe-eval'"]}}),
    ),
    "no policy": (
        checks.check_content_security_policy, "E007", _set("CONTENT_SECURITY_POLICY", {}),
    ),
    "csp middleware removed": (
        checks.check_content_security_policy, "E007",
        _drop("MIDDLEWARE", "csp.middleware.CSPMiddleware"),
    ),
    "two-week sessions": (checks.check_session_limits, "E008", _set("SESSION_COOKIE_AGE", 1209600)),
    "no absolute limit": (checks.check_session_limits, "E008", _set("SESSION_ABSOLUTE_AGE", None)),
    "session middleware removed": (
        checks.check_session_limits, "E008",
        _drop("MIDDLEWARE", "accounts.middleware.SessionLimitsMiddleware"),
    ),
    "malformed key": (
        checks.check_encryption_keys, "E009", _set("FIELD_ENCRYPTION_KEYS", ["k:not-a-key"]),
    ),
    "key from SECRET_KEY": (
        checks.check_encryption_keys, "E010", _set("BLIND_INDEX_KEY", "s" * 50),
    ),
    "short blind-index key": (
        checks.check_encryption_keys, "E011", _set("BLIND_INDEX_KEY", "short"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BREAKS))
def test_each_project_check_fails_when_its_setting_is_broken(production_like, case):
    check, code, breaking = BREAKS[case]
    assert check() == []

    breaking(production_like)

    assert f"accounts.{code}" in {error.id for error in check()}


def test_the_project_checks_run_only_under_deploy():
    from django.core.checks import registry

    deploy_only = registry.registry.deployment_checks
    assert set(ALL_CHECKS) <= deploy_only

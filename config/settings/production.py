"""Production: the base settings served over HTTPS only, behind a reverse proxy.

`DJANGO_SETTINGS_MODULE=config.settings.production`. With a real environment (.env.example)
`manage.py check --deploy --fail-level WARNING` passes; CI runs it (.ci/run). The project's own
deploy checks (accounts.checks) add what Django's don't know: Argon2, lockout, two-factor login,
the script policy, session limits and independent encryption keys.
"""

from config.settings.base import *  # noqa: F403

# Never the debug pages in production, whatever the environment says.
DEBUG = False

# The reverse proxy terminates TLS and must set (not pass on) X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# One year, subdomains included; `preload` declares the site ready for browsers' preload lists.
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# __Host- cookies: sent over HTTPS only, to this host only, for every path; never to scripts.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "__Host-csrftoken"

OTP_REQUIRED = True

# The load balancer asks /healthz by address over plain HTTP (common.health answers before any
# redirect); everything else is HTTPS only.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The application log as JSON lines on stdout (LOG_FORMAT=text for people reading a terminal).
if env.str("LOG_FORMAT", default="json") == "json":  # noqa: F405
    LOGGING["handlers"]["console"]["formatter"] = "json"  # type: ignore[index]  # noqa: F405

"""Settings for every deployment, read from the environment (or a `.env` file beside manage.py).

Nothing secret has a default here: a production process that forgets SECRET_KEY or DATABASE_URL
refuses to start. The demo and test modules set their own throwaway values.
"""

from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# ENV_FILE names another file (or /dev/null for none); it can only come from the environment.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The admin with two-factor login (accounts.admin_site); `admin.site` is that site.
    "accounts.admin_config.DerbesAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "simple_history",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "common",
    "organisation",
    "subjects",
    "consents",
    "processors",
    "inquiries",
    "requests",
    "incidents",
    "imports",
    "erasure",
    "webforms",
    "accounts",
    "demo",
    # Before `jobs`, whose admin replaces Procrastinate's own.
    "jobs.apps.QueueConfig",  # Procrastinate
    "jobs",
]

MIDDLEWARE = [
    # Outermost, so that a response made from an error raised further in (a bad Host header is
    # refused by whichever middleware first reads it) carries the same headers as every page.
    "accounts.middleware.SecurityHeadersMiddleware",
    # /healthz answers here, before the Host header, HTTPS redirect or session are looked at.
    "common.health.HealthCheckMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise: static files are cacheable; every page rendered here is not.
    "accounts.middleware.NoStoreMiddleware",
    "accounts.middleware.DeniedRequestLogMiddleware",
    "accounts.middleware.NulByteRefusalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.LoadedUserMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A kept connection that PostgreSQL dropped (restart, failover, pg_terminate_backend) is noticed
# before the request uses it and opened again, instead of failing the first request with a 500.
# It costs a `SELECT 1` round trip per request (bench/README.md, public endpoints).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work runs on Procrastinate, a job queue kept in PostgreSQL (docs/jobs.md): a job is
# enqueued in the transaction of the write that causes it, and any number of workers
# (`manage.py procrastinate worker`) share the queue. JOBS_INLINE runs each job in the web
# process right after commit instead (the SQLite demo, where no queue exists, and most tests).
IS_POSTGRESQL = DATABASES["default"]["ENGINE"].endswith("postgresql")
JOBS_INLINE = env.bool("JOBS_INLINE", default=not IS_POSTGRESQL)
PROCRASTINATE_IMPORT_PATHS = ["jobs.periodic"]
# A finished job is deleted (its arguments may hold an address); failed ones stay as dead letters.
# A worker that sends no heartbeat for JOBS_STALLED_AFTER_SECONDS is dead: its jobs run again.
JOBS_HEARTBEAT_SECONDS = env.float("JOBS_HEARTBEAT_SECONDS", default=10.0)
JOBS_STALLED_AFTER_SECONDS = env.float("JOBS_STALLED_AFTER_SECONDS", default=30.0)
PROCRASTINATE_WORKER_DEFAULTS = {
    "delete_jobs": "successful",
    "update_heartbeat_interval": JOBS_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": JOBS_STALLED_AFTER_SECONDS,
}
# When the periodic jobs run (cron syntax; a sixth column is seconds). Times are UTC.
JOBS_CRON = {
    "ingest_requests": env.str("JOBS_CRON_INGEST_REQUESTS", default="*/5 * * * *"),
    "remind_due_requests": env.str("JOBS_CRON_REMIND_DUE_REQUESTS", default="0 3 * * 1-6"),
    "apply_retention": env.str("JOBS_CRON_APPLY_RETENTION", default="30 20 * * *"),
    "check_encryption_keys": env.str("JOBS_CRON_CHECK_ENCRYPTION_KEYS", default="0 4 * * 1"),
    "index_subjects_for_search": env.str(
        "JOBS_CRON_INDEX_SUBJECTS_FOR_SEARCH", default="*/15 * * * *"
    ),
    "retry_stalled_jobs": env.str("JOBS_CRON_RETRY_STALLED_JOBS", default="* * * * *"),
    "delete_orphan_files": env.str("JOBS_CRON_DELETE_ORPHAN_FILES", default="45 20 * * *"),
    "process_tilda_submissions": env.str(
        "JOBS_CRON_PROCESS_TILDA_SUBMISSIONS", default="* * * * *"
    ),
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# django-axes first: it refuses a locked-out username+IP before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the admin speaks all three; the default comes from the environment.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="kk")
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
# Project strings first, then translations the project supplies for libraries that lack Kazakh.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded and kept files (photos, evidence, letters' attachments, access reports) must be seen
# by every application server and worker: MEDIA_ROOT on a shared volume ("filesystem"), or an
# S3-compatible bucket through django-storages ("s3"; needs boto3), private, links signed.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID"),
            "secret_key": env.str("S3_SECRET_ACCESS_KEY"),
            "location": env.str("S3_PREFIX", default="media"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ValueError(f"MEDIA_STORAGE is 'filesystem' or 's3', not {MEDIA_STORAGE!r}")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")

# The privacy mailbox that `manage.py ingest_requests --imap` reads (read-only: nothing is moved
# or flagged). IMAP_SSL: TLS from the start (port 993); IMAP_STARTTLS: upgrade a plain connection.
IMAP_HOST = env.str("IMAP_HOST", default="")
IMAP_PORT = env.int("IMAP_PORT", default=993)
IMAP_SSL = env.bool("IMAP_SSL", default=True)
IMAP_STARTTLS = env.bool("IMAP_STARTTLS", default=False)
IMAP_USER = env.str("IMAP_USER", default="")
IMAP_PASSWORD = env.str("IMAP_PASSWORD", default="")
IMAP_FOLDER = env.str("IMAP_FOLDER", default="INBOX")

# Audit trail: history pages are read-only, nobody reverts personal data to an old state.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_DATE_INDEX = False  # common.history.AuditHistory indexes history_date with BRIN

# Public address of this back-office, for links that leave it (unsubscribe links in mailings).
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL").rstrip("/")

# Key of the suppression list's HMAC-SHA256 hashes. Keep it for good: a new key forgets every
# entry, and people who left would be mailed again.
SUPPRESSION_HASH_KEY = env.str("SUPPRESSION_HASH_KEY")

# Key that signs unsubscribe links, and how long a link in an old mailing keeps working.
UNSUBSCRIBE_SIGNING_KEY = env.str("UNSUBSCRIBE_SIGNING_KEY")
UNSUBSCRIBE_LINK_MAX_AGE_DAYS = env.int("UNSUBSCRIBE_LINK_MAX_AGE_DAYS", default=730)

# Erasures are journaled here too, outside the database, so that they can be replayed after a
# backup restore. Keep it on storage that survives the database (and is shared by all servers).
ERASURE_JOURNAL_PATH = env.path(
    "ERASURE_JOURNAL_PATH", default=BASE_DIR / "var" / "erasure-journal.jsonl"
)
# A closed request keeps the requester's details (name, address, letter) this long, no longer.
REQUEST_RETENTION_DAYS = env.int("REQUEST_RETENTION_DAYS", default=3 * 365)

# Mailing-list uploads in the admin are previewed (their first IMPORT_ADMIN_PREVIEW_ROWS rows),
# kept in the database in parts until confirmed (an hour at most: imports.services.uploads),
# then imported whole by a worker (imports.tasks). 256 MiB is some 2.8 million rows, and its
# upload page takes ~10 s at 1,000,000 subjects (bench/upload_benchmark.py): well inside
# gunicorn's timeout (deploy/gunicorn.conf.py), which a larger cap must keep in mind, as must
# the reverse proxy's body limit (deploy/nginx.conf). Larger files: `manage.py
# import_mailing_list`.
IMPORT_ADMIN_MAX_BYTES = env.int("IMPORT_ADMIN_MAX_BYTES", default=256 * 1024 * 1024)
IMPORT_ADMIN_PREVIEW_ROWS = env.int("IMPORT_ADMIN_PREVIEW_ROWS", default=20_000)

# Tilda's form webhook (webforms): POST /hooks/tilda/<secret>/. Several secrets may be valid at
# once, so a new URL can be saved in Tilda before the old one stops working (rotation). No secret:
# the endpoint answers 404 to everything. The API key is Tilda's optional second credential: when
# keys are set, a submission must carry one, in a header or a form field named
# TILDA_WEBHOOK_API_KEY_NAME. Bodies above the byte or field limit are refused unread.
TILDA_WEBHOOK_SECRETS = env.list("TILDA_WEBHOOK_SECRETS", default=[])
TILDA_WEBHOOK_API_KEY_NAME = env.str("TILDA_WEBHOOK_API_KEY_NAME", default="api_key")
TILDA_WEBHOOK_API_KEYS = env.list("TILDA_WEBHOOK_API_KEYS", default=[])
TILDA_WEBHOOK_MAX_BYTES = env.int("TILDA_WEBHOOK_MAX_BYTES", default=64 * 1024)
TILDA_WEBHOOK_MAX_FIELDS = env.int("TILDA_WEBHOOK_MAX_FIELDS", default=200)
# A submission is applied by the web worker right after it has answered Tilda (a few forms an
# hour need nothing more), or, when this is off, by `manage.py process_tilda_submissions --watch`
# so that a burst costs the web workers only the storing (bench/README.md has both).
TILDA_WEBHOOK_APPLY_AFTER_RESPONSE = env.bool("TILDA_WEBHOOK_APPLY_AFTER_RESPONSE", default=True)

# Phone numbers without a country code are read as Kazakh numbers.
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="KZ")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Security (README, Production). `manage.py check --deploy` verifies these (accounts.checks).
# Sessions end after 30 idle minutes and 10 hours after login, whatever the activity.
SESSION_COOKIE_AGE = 30 * 60
SESSION_ABSOLUTE_AGE = 10 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "admin:login"

# Two-factor login (TOTP) for every staff user. Demo and test settings switch it off explicitly.
OTP_REQUIRED = True
OTP_TOTP_ISSUER = "Derbes"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # nobody reads another user's TOTP secret in the admin

# Lockout: 5 failures lock that username from that address only, so an attacker elsewhere
# can't lock the privacy officer out. The lock lifts after an hour, or at once by
# `manage.py axes_reset_username` / the admin's "Access attempts" page.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip_address"
AXES_VERBOSE = False  # its log lines would repeat, less carefully, what the security log says
# How many reverse proxies in front of the application append to X-Forwarded-For (0: none, the
# client is REMOTE_ADDR). Wrong here, and every login seems to come from the proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Content-Security-Policy: scripts only from our own origin, nothing inline. The admin's templates
# set style attributes, so styles may be inline; styles can't run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Field-level encryption of agreement data (common.encryption): `id:key` pairs, the first one
# encrypts; older ones stay until `manage.py rotate_encryption_keys` has re-encrypted everything.
# Independent of SECRET_KEY. The blind-index key makes passport numbers findable without
# decrypting; it is a third independent secret.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY")

# Admin messages name what was saved ("The data subject “…” was added"): kept in the staff's
# signed cookie only, never in django_session, where erasure could not find them.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Admin export (CSV/XLSX) needs the view permission, import the add permission of the model.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "common.security_log.JsonFormatter"}},
    "handlers": {
        # LOG_FORMAT=json (production): one JSON object per line, as the security log.
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}
        | ({"formatter": "json"} if env.str("LOG_FORMAT", default="text") == "json" else {}),
        "security": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "loggers": {
        # Security events (common.security_log) as JSON lines, apart from the application log.
        "derbes.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        # django-axes narrates every login at INFO; the security log says what matters.
        "axes": {"level": "WARNING"},
        "procrastinate.blueprints": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

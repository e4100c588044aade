"""Test settings: PostgreSQL from DATABASE_URL (the CI points it at 127.0.0.1:5432)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("SUPPRESSION_HASH_KEY", "test-only-suppression-key")
os.environ.setdefault("UNSUBSCRIBE_SIGNING_KEY", "test-only-unsubscribe-key")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "test:FyP79AUE8FZuvdiwmX0MKPmzHW_ww5UlSiTq-muvGTU=")
os.environ.setdefault("BLIND_INDEX_KEY", "test-only-blind-index-key")
os.environ.setdefault("PUBLIC_BASE_URL", "https://privacy.example.org")
os.environ.setdefault(
    "TILDA_WEBHOOK_SECRETS", "test-only-tilda-secret-new,test-only-tilda-secret-old"
)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/derbes")

from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES

# Most tests log in with force_login; the two-factor tests switch it on with the settings fixture.
OTP_REQUIRED = False

# Argon2 at full cost would dominate the run; tests do not measure hashing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "en"
JOBS_INLINE = True  # the queue tests switch it off (tests/jobs)

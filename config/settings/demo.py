"""The one-command demo: SQLite beside the code, debug pages, mail printed to the console.

Never for real data: the secret key is public and nothing is hardened.
"""

import os

os.environ.setdefault("SECRET_KEY", "demo-only-not-secret")
os.environ.setdefault("SUPPRESSION_HASH_KEY", "demo-only-suppression-key")
os.environ.setdefault("UNSUBSCRIBE_SIGNING_KEY", "demo-only-unsubscribe-key")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "demo:KWgMyk7PAU_Crt62n7MJQoednZi-kxFEcweKLn3zSxg=")
os.environ.setdefault("BLIND_INDEX_KEY", "demo-only-blind-index-key")
os.environ.setdefault("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
os.environ.setdefault("DATABASE_URL", "sqlite:///var/demo.sqlite3")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES

# Demo users log in with the printed password only; production requires a TOTP code too.
OTP_REQUIRED = False

# No manifest in the demo: runserver serves static files straight from the apps.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# SQLite has no job queue: jobs run in the web process after commit (JOBS_INLINE), and the
# queue's tables, which are PostgreSQL functions and triggers, are not created.
MIGRATION_MODULES = {"procrastinate": None}

"""Running manage.py under the production settings, in a realistic environment of its own."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def production_environment(**overrides: str) -> dict[str, str]:
    """What an operator sets (see .env.example), with fresh random secrets; nothing from .env."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "postgres://derbes@127.0.0.1:5432/derbes",
        "ALLOWED_HOSTS": "derbes.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://derbes.example.org",
        "PUBLIC_BASE_URL": "https://derbes.example.org",
        "SUPPRESSION_HASH_KEY": secrets.token_urlsafe(40),
        "UNSUBSCRIBE_SIGNING_KEY": secrets.token_urlsafe(40),
        "FIELD_ENCRYPTION_KEYS": f"2026a:{Fernet.generate_key().decode()}",
        "BLIND_INDEX_KEY": secrets.token_urlsafe(40),
    }
    environment.update(overrides)
    return environment


def run(arguments: list[str], **overrides: str) -> subprocess.CompletedProcess:
    """`python <arguments>` in the repository with the production environment (and overrides)."""
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=production_environment(**overrides),
        capture_output=True,
        text=True,
        check=False,
    )


def deploy_check(**overrides: str) -> subprocess.CompletedProcess:
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **overrides)


def python(code: str, **overrides: str) -> str:
    """Run `code` after django.setup() under the production settings; its stdout."""
    result = run(["-c", f"import django; django.setup(); {code}"], **overrides)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()

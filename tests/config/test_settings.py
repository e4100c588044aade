import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_lists_every_setting_read_from_the_environment():
    source = (ROOT / "config" / "settings" / "base.py").read_text()
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source)) - {"ENV_FILE"}
    listed = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }

    assert "SECRET_KEY" in read  # the pattern really finds the reads
    assert read == listed


def _production_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` under the production settings module with only `env` configured."""
    environment = {k: v for k, v in os.environ.items() if k not in ALL_SETTINGS}
    environment.update(ENV_FILE=os.devnull, DJANGO_SETTINGS_MODULE="config.settings.base", **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


ALL_SETTINGS = {
    line.split("=", 1)[0]
    for line in (ROOT / ".env.example").read_text().splitlines()
    if line and not line.startswith("#")
}
REQUIRED = {
    "SECRET_KEY": "x" * 50,
    "DATABASE_URL": "postgres://derbes@127.0.0.1:5432/derbes",
    "PUBLIC_BASE_URL": "https://privacy.example.org",
    "SUPPRESSION_HASH_KEY": "s" * 40,
    "UNSUBSCRIBE_SIGNING_KEY": "u" * 40,
    "FIELD_ENCRYPTION_KEYS": "k1:" + "A" * 43 + "=",  # a well-formed Fernet key (32 zero bytes)
    "BLIND_INDEX_KEY": "b" * 40,
}


def test_production_settings_start_with_the_required_values_and_default_to_kazakh():
    result = _production_settings(
        "from django.conf import settings; print(settings.LANGUAGE_CODE)", **REQUIRED
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kk"


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_settings_refuse_to_start_without_a_required_value(missing):
    env = {k: v for k, v in REQUIRED.items() if k != missing}

    result = _production_settings("", **env)

    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr

"""The SQLite writer (consents through the consent services) and the PostgreSQL fast path write
the same rows and the same history rows for the same list: every field the import decides."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from consents.models import Consent, SuppressionEntry
from subjects.models import Subject
from tests.imports.test_sqlite import TRICKY

# Given to both writers in this order: a list that subscribes (with merges, suppressed people and
# a policy version label), then a Mailchimp export of people who left, some of them just added.
SUBSCRIBE = {
    "list.csv": TRICKY["list.csv"],
    "with_dates.csv": (
        "Email;Имя;Фамилия;Дата согласия;Политика\r\n"
        "d@example.kz;Дана;Жумабаева;2023-05-04 09:30:00;\r\n"
        "e@example.kz;Ерлан;Ахметов;;\r\n"
    ),
}
UNSUBSCRIBE = {
    "unsubscribed_members_export_2.csv": (
        "Email Address,Phone Number,UNSUB_TIME\r\n"
        "gone@example.kz,+7 701 999 99 99,2024-01-01 10:00:00\r\n"
        "d@example.kz,,2024-02-01 12:00:00\r\n"
        "a@example.kz,+7 701 000 00 01,\r\n"
    ),
}
RECENT = timedelta(hours=6)  # "now" of each run: the two runs differ by seconds


def _moment(value: datetime | None) -> str | None:
    if value is None:
        return None
    return "now" if abs(timezone.now() - value) < RECENT else value.isoformat()


def _subject_fields(s: Any) -> tuple:
    return (
        s.email, s.last_name, s.first_name, s.patronymic, s.phone, s.city, s.country,
        s.organisation, s.position, s.birth_date and s.birth_date.isoformat(), s.state, s.source,
        s.source_detail, s.preferred_language, s.email_digest, s.phone_digest,
    )  # fmt: skip


def _consent_fields(c: Any, emails: dict[int, str | None]) -> tuple:
    return (
        emails[c.subject_id], c.purpose.code, _moment(c.given_at), c.method, c.evidence,
        json.dumps(c.evidence_payload, sort_keys=True, ensure_ascii=False),
        c.policy_version and c.policy_version.version_label, list(c.data_categories), c.state,
        _moment(c.withdrawn_at), c.withdrawal_channel,
    )  # fmt: skip


def _entry_fields(e: Any) -> tuple:
    return (e.kind, e.digest, e.reason)


def snapshot() -> dict[str, list]:
    """Every row and history row the import writes, without ids, clocks and the user's id."""
    emails = dict(Subject.objects.values_list("pk", "email"))
    emails |= dict(Subject.history.values_list("id", "email"))
    history = {"history_type", "history_change_reason"}

    def rows(manager: Any, fields: Any) -> list:
        return sorted(json.dumps(fields(r), ensure_ascii=False, default=str) for r in manager)

    def history_rows(manager: Any, fields: Any) -> list:
        return sorted(
            json.dumps(
                [fields(r), *(getattr(r, name) for name in sorted(history))],
                ensure_ascii=False,
                default=str,
            )
            for r in manager
        )

    consents = Consent.objects.select_related("purpose", "policy_version")
    consent_history = Consent.history.select_related("purpose", "policy_version")
    return {
        "subjects": rows(Subject.objects.all(), _subject_fields),
        "subject history": history_rows(Subject.history.all(), _subject_fields),
        "consents": rows(consents, lambda c: _consent_fields(c, emails)),
        "consent history": history_rows(consent_history, lambda c: _consent_fields(c, emails)),
        "suppression": rows(SuppressionEntry.objects.all(), _entry_fields),
        "suppression history": history_rows(SuppressionEntry.history.all(), _entry_fields),
    }


def _write(folder: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [str(folder / name) for name in files]


def _on_sqlite(database: Path, *lists: list[str]) -> dict[str, list]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.demo",
           "DATABASE_URL": f"sqlite:///{database}",
           "SUPPRESSION_HASH_KEY": settings.SUPPRESSION_HASH_KEY,
           "LANGUAGE_CODE": settings.LANGUAGE_CODE}  # fmt: skip
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    run: dict[str, Any] = {"env": env, "check": True, "capture_output": True, "text": True,
           "cwd": settings.BASE_DIR}  # fmt: skip
    subprocess.run([*manage, "migrate", "-v0"], **run)
    for files in lists:
        subprocess.run([*manage, "import_mailing_list", *files, "--purpose", "newsletter"], **run)
    dump = (
        "import json; from tests.imports.test_both_writers import snapshot; "
        "print(json.dumps(snapshot()))"
    )
    result = subprocess.run([*manage, "shell", "-v0", "-c", dump], **run)
    return json.loads(result.stdout)


@pytest.mark.django_db
def test_both_writers_write_the_same_rows_and_history_rows(tmp_path):
    subscribing, leaving = _write(tmp_path, SUBSCRIBE), _write(tmp_path, UNSUBSCRIBE)

    on_sqlite = _on_sqlite(tmp_path / "demo.sqlite3", subscribing, leaving)
    before = snapshot()
    for files in (subscribing, leaving):
        call_command("import_mailing_list", *files, "--purpose", "newsletter", stdout=StringIO())
    after = snapshot()
    on_postgresql = {
        table: sorted(set(after[table]) - set(before[table])) for table in after
    }  # the migrations' own rows (none of these tables, today) left aside

    for table, rows in on_postgresql.items():
        assert on_sqlite[table] == rows, table
    assert len(on_postgresql["consents"]) >= 4
    assert any('"withdrawn"' in row for row in on_postgresql["consents"])
    assert any('"~"' in row for row in on_postgresql["consent history"])

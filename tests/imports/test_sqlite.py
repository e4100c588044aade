"""The demo's SQLite writer follows the same rules as the PostgreSQL one (run as the demo runs)."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from subjects.models import Subject
from tests.imports.conftest import sample
from tests.imports.test_samples import EXPECTED

TRICKY = {
    # People who left: their address and phone go on the suppression list.
    "unsubscribed_members_export_1.csv": (
        "Email Address,Phone Number,UNSUB_TIME\r\n"
        "gone@example.kz,+7 701 999 99 99,2024-01-01 10:00:00\r\n"
    ),
    "list.csv": (
        "Email;ФИО;Телефон;Город\r\n"
        "a@example.kz;Петров Иван;;\r\n"
        "A@EXAMPLE.KZ;Другой Человек;+7 701 000 00 01;Алматы\r\n"  # merges into line 2
        "gone@example.kz;Ушедший;;\r\n"  # suppressed address
        "b@example.kz;Быков Борис;8 701 999 99 99;\r\n"  # suppressed phone
        "c@example.kz;Цой Виктор;;\r\n"
        "c@example.kz;;+7 701 999 99 99;Астана\r\n"  # a suppressed phone is never filled in
        "not an address;Никто;;\r\n"
    ),
}


def _sqlite_import(database: Path, *files: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.demo",
           "DATABASE_URL": f"sqlite:///{database}"}  # fmt: skip
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, capture_output=True)
    result = subprocess.run(
        [*manage, "import_mailing_list", *map(str, files), "--purpose", "newsletter", "--json"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


COUNTS = ("created", "updated", "unchanged", "suppressed", "withdrawn", "duplicates", "rejected")


@pytest.mark.django_db
def test_sqlite_and_postgresql_imports_count_the_same(tmp_path):
    files = []
    for name, text in TRICKY.items():
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    files += [sample(name) for name in sorted(EXPECTED)]

    on_sqlite = _sqlite_import(tmp_path / "demo.sqlite3", *files)
    out = StringIO()
    call_command("import_mailing_list", *map(str, files), "--purpose", "newsletter", "--json",
                 stdout=out)  # fmt: skip
    on_postgresql = json.loads(out.getvalue())

    for sqlite_file, postgresql_file in zip(
        on_sqlite["files"], on_postgresql["files"], strict=True
    ):
        assert {k: sqlite_file[k] for k in COUNTS} == {k: postgresql_file[k] for k in COUNTS}
    by_name = {file["file"]: file for file in on_postgresql["files"]}
    assert {k: by_name["list.csv"][k] for k in COUNTS} == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 2,
        "withdrawn": 0,
        "duplicates": 2,
        "rejected": 1,
    }
    for name, expected in EXPECTED.items():
        assert {k: by_name[name][k] for k in expected} == expected
    c = Subject.objects.get(email="c@example.kz")
    assert (c.phone, c.city) == ("", "Астана")
    a = Subject.objects.get(email="a@example.kz")
    assert (a.last_name, a.first_name, a.phone, a.city) == (
        "Петров",
        "Иван",
        "+77010000001",
        "Алматы",
    )

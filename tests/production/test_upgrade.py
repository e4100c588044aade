"""Upgrade from the previous release: its code seeds the demo data, this code migrates forward.

The previous release is the last commit before this round of work (its migrations: consents up
to 0007, imports up to 0002, no job queue). Its own `migrate` and `seed_demo` run from a copy
of that commit (`git archive`), against a database of their own; then this checkout's `migrate`
brings the database forward, and every row that was there is still there, unchanged.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS_RELEASE = "35ab7b062c2891bc563bbb8d03b3e673ab398a4f"
REGISTERS = (
    "subjects_subject",
    "consents_consent",
    "consents_purpose",
    "requests_subjectrequest",
    "subjects_historicalsubject",
    "consents_historicalconsent",
    "auth_user",
)


# Tables that grow by design: the registry of Django itself, and the reference rows (answer
# templates, deadline rules) that a later data migration seeds for a new request kind.
GROWING = (
    "django_migrations", "django_content_type", "auth_permission", "requests_answertemplate",
    "requests_deadlinerule",
)  # fmt: skip


def _has_commit() -> bool:
    found = subprocess.run(
        ["git", "cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}"], cwd=ROOT, capture_output=True
    )
    return found.returncode == 0


def _connect(database: str) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        dbname=database,
        autocommit=True,
    )


def _snapshot(database: str, columns: dict[str, list[str]] | None = None) -> dict[str, tuple]:
    """Rows per table, and for the registers an md5 over the columns the old schema had."""
    with _connect(database) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        shape = columns or {
            table: [
                row[0]
                for row in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                    "ORDER BY column_name",
                    [table],
                )
            ]
            for table in REGISTERS
        }
        snapshot: dict[str, tuple] = {}
        for table in tables:
            (count,) = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone() or (0,)  # noqa: S608 - table names from the catalogue
            snapshot[table] = (count,)
            if table in shape:
                listed = ", ".join(f'"{column}"' for column in shape[table])
                (digest,) = conn.execute(
                    f"SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) "  # noqa: S608 - table names from the catalogue
                    f'FROM (SELECT {listed} FROM "{table}") r'
                ).fetchone() or ("",)
                snapshot[table] = (count, digest)
        snapshot["__columns__"] = (shape,)
        return snapshot


@pytest.mark.skipif(not _has_commit(), reason="no git history here")
@pytest.mark.django_db
def test_the_demo_data_of_the_previous_release_survives_the_upgrade(tmp_path):
    database = f"{connection.settings_dict['NAME']}_upgrade"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ENV_FILE": os.devnull,
    }
    old = tmp_path / "previous"
    old.mkdir()
    archive = subprocess.run(
        ["git", "archive", PREVIOUS_RELEASE], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    with _connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        # Given the previous release, migrated and seeded by its own code
        for command in (["migrate", "--no-input"], ["setup_roles"], ["seed_demo", "--force"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=old,
                env=env,
                check=True,
                capture_output=True,
            )
        before = _snapshot(database)
        assert before["subjects_subject"][0] > 0
        assert before["consents_consent"][0] > 0

        # When this release migrates it forward
        done = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        assert "Applying consents.0008" in done.stdout

        # Then every table of then has its rows, the registers unchanged in what they held
        after = _snapshot(database, columns=before["__columns__"][0])
        changed = {
            table: (before[table], after.get(table))
            for table in before
            if table not in {"__columns__", *GROWING} and after.get(table) != before[table]
        }
        assert changed == {}
        assert all(after[table][0] >= before[table][0] for table in GROWING)
        check = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
        )
        assert check.returncode == 0
    finally:
        with _connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

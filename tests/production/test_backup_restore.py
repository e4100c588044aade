"""Backup and restore as the README tells (deploy/backup.sh, deploy/restore.sh), round trip.

Every table comes back row for row (count and checksum), with the history guards, the
application role's grants, and the erasure journal replayed over it.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from erasure.services import subject_erase
from tests.erasure import canary
from tests.erasure.test_erasure import build_canary_subject

ROOT = Path(__file__).resolve().parents[2]
APP_ROLE = "derbes_app_backup"


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    return {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432),
            "PGUSER": db["USER"] or "postgres"}  # fmt: skip


def _connect(database: str) -> psycopg.Connection:
    env = _pg_env()
    return psycopg.connect(host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"],
                           dbname=database, autocommit=True)  # fmt: skip


_CHECKSUM = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
    'FROM "{table}" t'
)


_CHECKSUM = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
    'FROM "{table}" t'
)


def _one(conn: psycopg.Connection, sql: str, params: list[str] | None = None) -> tuple:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row


def _fingerprint(database: str) -> dict[str, tuple]:
    """Per table of the public schema: its row count and an md5 over its rows in order."""
    with _connect(database) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        )]  # fmt: skip
        return {
            table: _one(conn, _CHECKSUM.format(table=table))  # names from the catalogue
            for table in tables
        }


def _guards_and_grants(database: str) -> tuple[int, bool, bool]:
    with _connect(database) as conn:
        (guards,) = _one(
            conn,
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'derbes_history_guard%%' "
            "AND tgenabled = 'A'",
            [],
        )
        insert, update = _one(
            conn,
            "SELECT has_table_privilege(%s, 'subjects_historicalsubject', 'INSERT'), "
            "has_table_privilege(%s, 'subjects_historicalsubject', 'UPDATE')",
            [APP_ROLE, APP_ROLE],
        )
    return guards, insert, update


@pytest.mark.usefixtures("reseeded")
@pytest.mark.usefixtures("committed_db")
def test_backup_and_restore_bring_back_every_row_the_guards_and_the_grants_then_replay(
    officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ERASURE_JOURNAL_PATH = journal = tmp_path / "journal.jsonl"
    with connection.cursor() as cursor:  # roles are the cluster's: it may exist from a run before
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') "
            f"THEN CREATE ROLE {APP_ROLE} NOLOGIN; END IF; END $$"
        )
    call_command("harden_database_roles", "--app-role", APP_ROLE)
    marker = canary.new_marker()
    subject = build_canary_subject(officer, marker)
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    subprocess.run(["dropdb", "--if-exists", restored], env=_pg_env(), check=True)
    before = _fingerprint(source)

    # Given a backup, and then an erasure in the live database
    subprocess.run(["deploy/backup.sh", source, str(tmp_path / "backup")], cwd=ROOT,
                   env=_pg_env(), check=True)  # fmt: skip
    subject_erase(subject=subject, actor=officer, reason="Request #20")

    # When the backup is restored into a new database
    subprocess.run(["deploy/restore.sh", str(tmp_path / "backup"), restored], cwd=ROOT,
                   env=_pg_env(), check=True, capture_output=True)  # fmt: skip
    try:
        # Then every table is as it was, row for row, guards and grants included
        after = _fingerprint(restored)
        assert set(after) == set(before)
        assert len(after) > 50
        assert {table: value for table, value in after.items() if before[table] != value} == {}
        assert _guards_and_grants(restored) == _guards_and_grants(source)
        guards, can_insert, can_update = _guards_and_grants(restored)
        assert guards > 20
        assert can_insert
        assert not can_update
        with _connect(restored) as conn:
            assert conn.execute(
                "SELECT count(*) FROM subjects_subject WHERE id = %s AND state = 'active'",
                [subject.pk],
            ).fetchone() == (1,)

        # And replaying the journal erases again whom the backup brought back
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{restored}",
            "ERASURE_JOURNAL_PATH": str(journal),
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
        subprocess.run([sys.executable, "manage.py", "erase_subject", "--replay"], cwd=ROOT,
                       env=env, check=True, capture_output=True)  # fmt: skip
        with _connect(restored) as conn:
            assert conn.execute(
                "SELECT state FROM subjects_subject WHERE id = %s", [subject.pk]
            ).fetchone() == ("erased",)
            hits = conn.execute(
                "SELECT count(*) FROM subjects_historicalsubject WHERE email LIKE %s",
                [f"%{marker}%"],
            ).fetchone()[0]
            assert hits == 0
    finally:
        subprocess.run(["dropdb", "--if-exists", restored], env=_pg_env(), check=True)
        with connection.cursor() as cursor:  # the role is the cluster's: leave none behind
            cursor.execute(f"DROP OWNED BY {APP_ROLE}; DROP ROLE {APP_ROLE}")

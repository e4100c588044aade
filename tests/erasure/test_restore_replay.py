"""A backup taken before an erasure brings the person back; replaying the journal removes them."""

import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from erasure.services import subject_erase
from subjects.models import Subject
from tests.erasure import canary
from tests.erasure.test_erasure import build_canary_subject


def _pg(tool: str, *args: str) -> None:
    settings = connection.settings_dict
    command = [
        tool, "--host", settings["HOST"] or "127.0.0.1", "--port", str(settings["PORT"] or 5432),
        "--username", settings["USER"] or "postgres", *args,
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)


@pytest.mark.usefixtures("committed_db")
def test_replaying_the_journal_after_a_restore_erases_again(officer, tmp_path, media):
    marker = canary.new_marker()
    subject = build_canary_subject(officer, marker)
    backup = tmp_path / "before-erasure.dump"
    database = connection.settings_dict["NAME"]
    _pg("pg_dump", "--format", "custom", "--file", str(backup), database)

    subject_erase(subject=subject, actor=officer, reason="Request #11")
    assert canary.database_hits([marker]) == {}

    connection.close()
    _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--dbname", database, str(backup))
    assert canary.database_hits([marker])  # the restore brought the person back
    assert Subject.objects.get(pk=subject.pk).state == "active"

    call_command("erase_subject", "--replay")

    assert canary.database_hits([marker]) == {}
    assert Subject.objects.get(pk=subject.pk).state == "erased"

"""The system check that Asia/Almaty is UTC+05:00 (Kazakhstan's single zone since 1 March 2024).

The fixture `data/almaty_before_2024.tzif` is a zone file in the TZif format (RFC 8536,
https://www.rfc-editor.org/rfc/rfc8536) as a time-zone database older than tzdata 2024a has it
for Asia/Almaty after its last transition: one local time type, UTC+06 ("+06").
"""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from common.checks import almaty_offset_errors, database_almaty_offset_errors

OUTDATED = Path(__file__).parent / "data" / "almaty_before_2024.tzif"


def outdated_almaty() -> ZoneInfo:
    with OUTDATED.open("rb") as file:
        return ZoneInfo.from_file(file, key="Asia/Almaty")


def test_the_zone_data_of_this_server_puts_almaty_at_utc_plus_5():
    assert almaty_offset_errors() == []
    assert almaty_offset_errors(now=datetime(2024, 3, 1, 0, 0, tzinfo=UTC)) == []


def test_zone_data_older_than_march_2024_fails_the_check():
    errors = almaty_offset_errors(
        now=datetime(2026, 12, 2, 9, 0, tzinfo=UTC), zone=outdated_almaty()
    )

    assert [error.id for error in errors] == ["common.E003"]
    assert "UTC+06:00" in errors[0].msg
    assert "tzdata" in errors[0].hint


def test_the_check_is_registered_and_fails_manage_py_check(monkeypatch):
    import common.checks

    monkeypatch.setattr(common.checks, "ZoneInfo", lambda key: outdated_almaty())

    assert "common.E003" in [error.id for error in checks.run_checks()]
    with pytest.raises(SystemCheckError, match="Asia/Almaty"):
        call_command("check")


@pytest.mark.django_db
def test_the_database_zone_data_puts_almaty_at_utc_plus_5():
    assert database_almaty_offset_errors("default") == []
    assert checks.run_checks(tags=[checks.Tags.database], databases=["default"]) == []

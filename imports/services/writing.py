"""What every import writer shares: the job, its outcome, the consent's raw evidence.

Two writers apply a file's rows to the registers by the same rules:
`postgres.PostgresWriter` set-based (COPY into a staging table, then INSERT ... SELECT with
history rows in the same statements) and `orm.OrmWriter` row by row for SQLite (the demo).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from consents.models import Purpose


class ImportConflict(Exception):
    """The registers changed under the import (another writer, the same people): start again."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The registers changed while the file was being imported (someone edited the "
                "same people). Nothing was imported: run the import again."
            )
        )


@dataclass(frozen=True)
class Job:
    """One file's import, as the writers need it."""

    purpose: Purpose
    subscribing: bool  # False: the list names people who left (unsubscribed / cleaned)
    actor: AbstractBaseUser | None
    now: datetime
    reason: str  # history change reason: names the file
    file_name: str
    sha256: str
    list_kind: str
    source_detail: str
    withdrawal_channel: str  # for consents withdrawn by an unsubscribed/cleaned list
    suppression_reason: str
    evidence: dict[str, str]  # rows.evidence_parts

    @property
    def actor_id(self) -> int | None:
        return self.actor.pk if self.actor is not None else None


@dataclass
class Outcome:
    """Per unique person (after merging duplicates): what the import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    suppressed: int = 0
    withdrawn: int = 0
    duplicates: int = 0
    suppression_entries: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn or self.suppression_entries)


def payload_of(
    job: Job,
    *,
    line: int,
    optin_time: datetime | None,
    optin_ip: str,
    confirm_time: datetime | None,
    confirm_ip: str,
    source: str,
    comment: str,
    tags: str,
) -> dict[str, Any]:
    """The consent's raw evidence, as the PostgreSQL writer builds it in SQL (same keys)."""
    payload = {
        "imported_from_old_list": True,
        "file": job.file_name,
        "sha256": job.sha256,
        "line": line,
        "list": job.list_kind,
        "optin_time": optin_time.astimezone(UTC).isoformat() if optin_time else None,
        "optin_ip": optin_ip or None,
        "confirm_time": confirm_time.astimezone(UTC).isoformat() if confirm_time else None,
        "confirm_ip": confirm_ip or None,
        "source": source or None,
        "comment": comment or None,
        "tags": tags or None,
    }
    return {key: value for key, value in payload.items() if value is not None}

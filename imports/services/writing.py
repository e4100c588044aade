"""What every import writer shares: the job, its outcome, the consent's raw evidence.

Two writers apply a file's rows to the registers by the same rules:
`postgres.PostgresWriter` set-based (COPY into a staging table, then INSERT ... SELECT with
history rows in the same statements) and `orm.OrmWriter` row by row for SQLite (the demo).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring  # the C encoder, as json.dumps(ensure_ascii=False)
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from common.errors import DomainError
from consents.models import Purpose

if TYPE_CHECKING:
    from imports.services.rows import StageRow


class ImportConflict(DomainError):
    """The registers changed under the import (another writer, the same people): start again."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The registers changed while the file was being imported (someone edited the "
                "same people). Nothing was imported: run the import again."
            ),
            code="conflict",
        )


@dataclass(frozen=True)
class Job:
    """One file's import, as the writers need it."""

    purpose: Purpose
    subscribing: bool  # False: the list names people who left (unsubscribed / cleaned)
    actor: User | None
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


def payload_of(job: Job, row: "StageRow") -> dict[str, Any]:
    """The consent's raw evidence: where it came from, and what the old list said of it."""
    payload = {
        "imported_from_old_list": True,
        "file": job.file_name,
        "sha256": job.sha256,
        "line": row.line,
        "list": job.list_kind,
        "optin_time": row.optin_time.astimezone(UTC).isoformat() if row.optin_time else None,
        "optin_ip": row.optin_ip or None,
        "confirm_time": (
            row.confirm_time.astimezone(UTC).isoformat() if row.confirm_time else None
        ),
        "confirm_ip": row.confirm_ip or None,
        "source": row.source or None,
        "comment": row.comment or None,
        "tags": row.tags or None,
        "list_columns": json.loads(row.original) if row.original else None,
    }
    return {key: value for key, value in payload.items() if value is not None}


def payload_json_maker(job: Job) -> Callable[["StageRow"], str]:
    """`payload_of` as JSON text, built without the dict: it runs for every row of big lists.

    The part common to the file is encoded once; tests check the two agree.
    """
    head = json.dumps(
        {"imported_from_old_list": True, "file": job.file_name, "sha256": job.sha256,
         "list": job.list_kind},
        ensure_ascii=False, separators=(",", ":"),
    )[:-1]  # fmt: skip
    text = encode_basestring  # JSON string literal, quotes included

    def payload_json(row: "StageRow") -> str:
        parts = [head, ',"line":', str(row.line)]
        if row.optin_time:
            parts += [',"optin_time":"', row.optin_time.astimezone(UTC).isoformat(), '"']
        if row.optin_ip:
            parts += [',"optin_ip":', text(row.optin_ip)]
        if row.confirm_time:
            parts += [',"confirm_time":"', row.confirm_time.astimezone(UTC).isoformat(), '"']
        if row.confirm_ip:
            parts += [',"confirm_ip":', text(row.confirm_ip)]
        if row.source:
            parts += [',"source":', text(row.source)]
        if row.comment:
            parts += [',"comment":', text(row.comment)]
        if row.tags:
            parts += [',"tags":', text(row.tags)]
        if row.original:
            parts += [',"list_columns":', row.original]
        parts.append("}")
        return "".join(parts)

    return payload_json

"""The erasure journal: a file, outside the database, that survives a backup restore.

A restored backup brings erased people back. Each erasure therefore also appends one line here
(ids and names of staff only, no personal data), and `erase_subject --replay` erases again every
subject the journal names.
"""

import fcntl
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class JournalEntry:
    log_id: int
    subject_id: int
    erased_at: str
    actor: str
    reason: str
    request_id: int | None


def journal_path() -> Path:
    return Path(settings.ERASURE_JOURNAL_PATH)


def journal_append(entry: JournalEntry) -> None:
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(asdict(entry), ensure_ascii=False) + "\n"
    with path.open("a", encoding="utf-8") as stream:
        # Several application servers may erase at once: one whole line per writer.
        fcntl.flock(stream, fcntl.LOCK_EX)
        stream.write(line)
        stream.flush()


def journal_read(path: Path | None = None) -> Iterator[JournalEntry]:
    source = path or journal_path()
    if not source.exists():
        return
    with source.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                yield JournalEntry(**json.loads(line))
            except (ValueError, TypeError) as error:
                raise ValueError(
                    f"{source}, line {number}: not a journal entry ({error})"
                ) from None

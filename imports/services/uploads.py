"""The file of an admin import, kept in the database in parts between its upload and its job.

The preview reads the upload where Django left it; the file is then staged (`upload_stage`) and
the confirm page names it by its stage, signed for the user (imports.forms). Confirming hands
the parts to the import's record (`upload_attach`); its job reads them back through a temporary
file (`run_file_open`) and deletes them. A preview never confirmed expires after
`CONFIRM_MAX_AGE`: its parts are deleted at the next upload and by the daily clean-up
(`delete_orphan_files`). Several application servers see the same parts, which a file on one
server's disk would not give.

Parts end at a line break where the file has one, so an e-mail address is never cut in two: the
erasure finds it in one part (imports.services.queued.queued_imports_forget).
"""

import hashlib
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, BinaryIO

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from imports.models import ImportRun, ImportUpload

CONFIRM_MAX_AGE = 60 * 60  # seconds a preview stays confirmable, and its file kept
PART_BYTES = 8 * 2**20
_ZIP = b"PK"  # XLSX
PREVIEW_GONE = _("This preview has expired or was altered: upload the file again.")


@dataclass(frozen=True)
class StagedFile:
    stage: uuid.UUID
    size: int
    sha256: str
    rows_estimate: int  # the lines of a text file, less its header; none for XLSX

    def as_dict(self) -> dict[str, object]:
        return {
            "stage": str(self.stage),
            "size": self.size,
            "sha256": self.sha256,
            "rows_estimate": self.rows_estimate,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "StagedFile":
        return cls(
            uuid.UUID(data["stage"]), int(data["size"]), data["sha256"], int(data["rows_estimate"])
        )


def _parts(stream: BinaryIO) -> Iterator[bytes]:
    """The stream in pieces of up to PART_BYTES, each cut after its last line break; an empty
    stream is one empty part (the job still finds its file)."""
    carried = b""
    while block := stream.read(PART_BYTES - len(carried)):
        carried += block
        if len(carried) < PART_BYTES:
            continue
        cut = carried.rfind(b"\n") + 1 or len(carried)
        yield carried[:cut]
        carried = carried[cut:]
    if carried or stream.tell() == 0:
        yield carried


class _Measured:
    """The parts of a stream, measured as they go by: size, SHA-256, line breaks."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = self.lines = 0
        self.first = b""  # the file's first bytes: b"PK" is an XLSX (a zip)

    def __iter__(self) -> Iterator[bytes]:
        for part in _parts(self.stream):
            self.first = self.first or part[:2]
            self.digest.update(part)
            self.size += len(part)
            self.lines += part.count(b"\n")
            yield part


def _write(parts: Iterator[bytes], *, stage: uuid.UUID, user: User | None) -> None:
    now = timezone.now()
    if connection.vendor != "postgresql":
        for number, part in enumerate(parts):
            ImportUpload.objects.create(
                stage=stage, number=number, staged_by=user, staged_at=now, content=part
            )
        return
    # COPY in binary: a part goes as its bytes, not as hex text in an INSERT (a 90 MB list:
    # 1.0 s against 2.3 s, bench/upload_benchmark.py).
    columns = "stage, number, staged_by_id, staged_at, content"
    with connection.cursor() as cursor:
        copy_in = f"COPY imports_importupload ({columns}) FROM STDIN (FORMAT BINARY)"
        with cursor.cursor.copy(copy_in) as copy:
            copy.set_types(["uuid", "int4", "int4", "timestamptz", "bytea"])
            for number, part in enumerate(parts):
                copy.write_row((stage, number, user.pk if user else None, now, part))


@transaction.atomic
def upload_stage(stream: BinaryIO, *, user: User | None) -> StagedFile:
    """Keep an uploaded file until its preview is confirmed or expires; read from the start."""
    staged_uploads_expire()
    stream.seek(0)
    stage, measured = uuid.uuid4(), _Measured(stream)
    _write(iter(measured), stage=stage, user=user)
    rows_estimate = 0 if measured.first == _ZIP else max(measured.lines - 1, 0)
    return StagedFile(stage, measured.size, measured.digest.hexdigest(), rows_estimate)


def _staged_parts(staged: StagedFile, user: User | None) -> QuerySet[ImportUpload]:
    # Only its uploader's, and only while no import has it.
    return ImportUpload.objects.filter(stage=staged.stage, run=None, staged_by=user)


def upload_attach(staged: StagedFile, *, run: ImportRun, user: User | None) -> bool:
    """Give the staged file to `run`; False when it is gone (expired, or erased)."""
    return _staged_parts(staged, user).update(run=run) > 0


def staged_uploads_expire() -> int:
    """Delete the files of previews older than CONFIRM_MAX_AGE; how many files."""
    expired = ImportUpload.objects.filter(
        run=None, staged_at__lt=timezone.now() - timedelta(seconds=CONFIRM_MAX_AGE)
    )
    files: int = expired.aggregate(n=Count("stage", distinct=True))["n"]
    expired.delete()
    return files


@contextmanager
def staged_open(staged: StagedFile, *, user: User | None) -> Iterator[BinaryIO]:
    """The staged file of `user`, to read again (the rejected rows of its preview); a
    DomainError when it is gone (expired, or erased)."""
    parts = _staged_parts(staged, user)
    if not parts.exists():
        raise DomainError(PREVIEW_GONE, code="gone")
    with _as_file(parts) as file:
        yield file


@contextmanager
def run_file_open(run: ImportRun) -> Iterator[BinaryIO]:
    """The file of a queued import, as its job reads it (empty when it has none)."""
    with _as_file(ImportUpload.objects.filter(run=run)) as file:
        yield file


@contextmanager
def _as_file(parts: QuerySet[ImportUpload]) -> Iterator[BinaryIO]:
    """The parts in order as one file to read from the start.

    A temporary file (deleted as it closes), not memory: XLSX must be seekable, and a list may
    be larger than a worker's memory. The parts are fetched one at a time.
    """
    contents = parts.order_by("number").values_list("content", flat=True)
    with tempfile.TemporaryFile() as file:
        for content in contents.iterator(chunk_size=1):
            file.write(content)
        file.seek(0)
        yield file

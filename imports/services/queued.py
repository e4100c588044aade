"""Imports started from the admin, run by a worker (imports.tasks): any size, with progress.

The confirm step writes the import record, gives it the file staged at the preview
(imports.services.uploads) and enqueues its job, in one transaction. The job imports the whole
file in one transaction, as the command does: a worker killed part-way commits nothing, and the
job runs again from the start (the queue notices the dead worker,
jobs.periodic.retry_stalled_jobs). A run that committed marks its record done in
that same transaction, so a job that runs again afterwards finds it done and writes nothing
twice. Progress (rows read, written, rejected) is written beside the import, through a
connection of its own, so the import page sees it while the import's transaction is open.
"""

import logging

from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common import jobs
from common.errors import DomainError
from common.history import save_with_history
from common.mentions import Mentions
from consents.models import Purpose
from imports.models import ImportChannel, ImportRun, ImportState, ImportUpload, ListKind
from imports.services.importing import FileReport, ImportFailed, ImportSource, mailing_list_import
from imports.services.rows import without_card_numbers
from imports.services.uploads import PREVIEW_GONE, StagedFile, run_file_open, upload_attach

logger = logging.getLogger(__name__)


@transaction.atomic
def import_enqueue(
    *,
    name: str,
    staged: StagedFile,
    purpose: Purpose,
    actor: User,
    list_format: str = "auto",
    encoding: str = "auto",
    language: str = "auto",
) -> ImportRun:
    """The record of an import to run in the background, with its staged file and its job, in
    one transaction. A DomainError when the file is no longer staged (its preview expired, or a
    person it names was erased)."""
    from imports.tasks import import_file

    name = without_card_numbers(name)
    run = ImportRun(
        file_name=name[:255],
        sha256=staged.sha256,
        purpose=purpose,
        list_kind=ListKind.GENERIC,  # until the job has read the header
        channel=ImportChannel.ADMIN,
        rows=0, created=0, updated=0, unchanged=0, suppressed=0, withdrawn=0, duplicates=0,
        rejected=0,
        imported_by=actor,
        imported_at=timezone.now(),
        state=ImportState.QUEUED,
        options={
            "list_format": list_format,
            "encoding": encoding,
            "language": language,
            "rows_estimate": staged.rows_estimate,  # for the progress bar
        },
    )  # fmt: skip
    save_with_history(run, actor=actor, reason=_("Import of “%(file)s” queued") % {"file": name})
    if not upload_attach(staged, run=run, user=actor):  # rolls the record back
        raise DomainError(PREVIEW_GONE, code="gone")
    jobs.job_defer(import_file, run_id=run.pk)
    return run


class _Progress:
    """Counters of a running import, written through a second connection (autocommit): the
    import's own transaction is seen by nobody until it commits. Not on SQLite, where a second
    writer would wait for the first (there the job runs inline and the page sees the end)."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.side = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql"
            else None
        )

    def write(self, *, state: str, rows: int = 0, written: int = 0, rejected: int = 0) -> None:
        if self.side is None:
            return
        with self.side.cursor() as cursor:
            cursor.execute(
                "UPDATE imports_importrun SET state = %s, rows = %s, written = %s, rejected = %s"
                " WHERE id = %s AND state IN (%s, %s)",
                [state, rows, written, rejected, self.run_id, ImportState.QUEUED,
                 ImportState.RUNNING],
            )  # fmt: skip

    def on_chunk(self, report: FileReport, written: int) -> None:
        self.write(
            state=ImportState.RUNNING, rows=report.rows, written=written, rejected=report.rejected
        )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _import_lock(run_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"derbes-import:{run_id}"]
            )


def import_run_queued(*, run_id: int) -> None:
    """Import the file of the queued import `run_id`; nothing to do if it has run already."""
    progress = _Progress(run_id)
    try:
        progress.write(state=ImportState.RUNNING)
        with transaction.atomic():
            # A second job of the same import (the queue's at-least-once delivery) waits here,
            # then finds it done. An advisory lock, not the record's row: the progress is
            # written to that row from the other connection while this transaction runs.
            _import_lock(run_id)
            run = ImportRun.objects.filter(pk=run_id).first()
            if run is None or run.state not in (ImportState.QUEUED, ImportState.RUNNING):
                return
            try:
                with run_file_open(run) as stream:
                    mailing_list_import(
                        sources=[ImportSource(run.file_name, stream)],
                        purpose=run.purpose,
                        actor=run.imported_by,
                        list_format=run.options.get("list_format", "auto"),
                        encoding=run.options.get("encoding", "auto"),
                        language=run.options.get("language", "auto"),
                        on_chunk=progress.on_chunk,
                        channel=ImportChannel.ADMIN,
                        run=run,
                    )
            except ImportFailed as error:  # rolled back: the record says why
                run.refresh_from_db()
                run.state, run.error = ImportState.FAILED, error.text
                save_with_history(run, actor=run.imported_by, reason=_("Import failed"))
            ImportUpload.objects.filter(run=run).delete()  # imported or not, the file goes
    finally:
        progress.close()


def queued_imports_forget(mentions: Mentions) -> int:
    """Forget every admin import file not yet imported that names the person (their e-mail
    addresses or phone, common.mentions): erasure calls it, so the file of a list never keeps
    an erased person, nor brings them back. A file still in its preview is deleted (confirming
    it then says to upload again); an import waiting for a worker is marked failed (upload the
    file again) and its file deleted. Returns how many files. An import already running holds
    the person's subject row; the erasure waits for it, then erases what it wrote."""
    if not mentions:
        return 0
    waiting = ImportUpload.objects.filter(Q(run=None) | Q(run__state=ImportState.QUEUED))
    # A part at a time (a few megabytes); a part ends at a line break, so an address or a phone
    # is whole in one part.
    found = {
        (stage, run_id)
        for stage, run_id, content in waiting.values_list("stage", "run_id", "content").iterator(
            chunk_size=1
        )
        if mentions.in_bytes(bytes(content))
    }
    for run in ImportRun.objects.filter(pk__in={run_id for _stage, run_id in found}):
        run.state = ImportState.FAILED
        run.error = _(
            "Cancelled before it ran: a person named in the file was erased. Upload the file "
            "again to import the others."
        )
        save_with_history(run, actor=None, reason=_("Import cancelled by an erasure"))
    ImportUpload.objects.filter(stage__in={stage for stage, _run_id in found}).delete()
    return len(found)

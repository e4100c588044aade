"""Periodic jobs: the mailbox, reminders, retention, the key-rotation check, orphan files, Tilda
submissions waiting to be applied, the subjects the search table lacks, stalled jobs.

Every worker runs Procrastinate's scheduler, and each cron tick is deferred once whatever the
number of workers (a unique row per task and tick in `procrastinate_periodic_defers`). Each job
also holds a `lock` of its own name, so two runs never overlap, and a `queueing_lock`, so a slow
run never piles up waiting copies. The jobs call the same commands as cron would.
"""

import io
import logging

from django.conf import settings
from django.core.management import call_command
from procrastinate import JobContext
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)
CRON = settings.JOBS_CRON


def _run(command: str, *args: str) -> None:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=out)
    logger.info("%s: %s", command, out.getvalue().strip())


@app.periodic(cron=CRON["ingest_requests"])
@app.task(name="ingest_requests", queue="periodic", lock="ingest_requests",
          queueing_lock="ingest_requests")  # fmt: skip
def ingest_requests(timestamp: int) -> None:
    """Read the privacy mailbox (the intake's own entry point, `ingest_requests --imap`)."""
    if not settings.IMAP_HOST:
        logger.info("ingest_requests: IMAP_HOST is not set, nothing to read")
        return
    _run("ingest_requests", "--imap", "--json")


@app.periodic(cron=CRON["remind_due_requests"])
@app.task(name="remind_due_requests", queue="periodic", lock="remind_due_requests",
          queueing_lock="remind_due_requests")  # fmt: skip
def remind_due_requests(timestamp: int) -> None:
    """E-mail the assignees about requests due within one working day (once a day each)."""
    _run("remind_due_requests")


@app.periodic(cron=CRON["apply_retention"])
@app.task(name="apply_retention", queue="periodic", lock="apply_retention",
          queueing_lock="apply_retention")  # fmt: skip
def apply_retention(timestamp: int) -> None:
    """Erase whom the retention rules no longer let us keep."""
    _run("apply_retention", "--json")


@app.periodic(cron=CRON["check_encryption_keys"])
@app.task(name="check_encryption_keys", queue="periodic", lock="check_encryption_keys",
          queueing_lock="check_encryption_keys")  # fmt: skip
def check_encryption_keys(timestamp: int) -> None:
    """Count values per encryption key: what is left under an old key still needs rotating."""
    _run("rotate_encryption_keys", "--dry-run")


@app.periodic(cron=CRON["delete_orphan_files"])
@app.task(name="delete_orphan_files", queue="periodic", lock="delete_orphan_files",
          queueing_lock="delete_orphan_files")  # fmt: skip
def delete_orphan_files(timestamp: int) -> None:
    """Delete media files no row points at (left by a crash between a rollback and its cleanup):
    erasure can't reach a file nothing names. Also the files of import previews never
    confirmed, once expired (imports.services.uploads)."""
    _run("delete_orphan_files")


@app.periodic(cron=CRON["process_tilda_submissions"])
@app.task(name="process_tilda_submissions", queue="periodic", lock="process_tilda_submissions",
          queueing_lock="process_tilda_submissions")  # fmt: skip
def process_tilda_submissions(timestamp: int) -> None:
    """Apply the Tilda submissions the web workers only stored (TILDA_WEBHOOK_APPLY_AFTER_RESPONSE
    off) or that wait for a retry."""
    _run("process_tilda_submissions")


@app.periodic(cron=CRON["index_subjects_for_search"])
@app.task(name="index_subjects_for_search_sweep", queue="periodic",
          lock="index_subjects_for_search_sweep",
          queueing_lock="index_subjects_for_search_sweep")  # fmt: skip
def index_subjects_for_search_sweep(timestamp: int) -> None:
    """Index every subject the search table lacks: what an import's own job (subjects.tasks)
    left undone, if it was lost. Nothing to do, it costs one pass over the primary keys."""
    from subjects.search import subject_search_fill

    logger.info("index_subjects_for_search: %s indexed", subject_search_fill())


@app.periodic(cron=CRON["retry_stalled_jobs"])
@app.task(name="retry_stalled_jobs", queue="periodic", lock="retry_stalled_jobs",
          queueing_lock="retry_stalled_jobs", pass_context=True)  # fmt: skip
async def retry_stalled_jobs(context: JobContext, timestamp: int) -> None:
    """Put back the jobs of a worker that died (no heartbeat): another worker runs them again."""
    manager = context.app.job_manager
    for job in await manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.JOBS_STALLED_AFTER_SECONDS
    ):
        logger.warning("retrying job %s (%s) of a stalled worker", job.id, job.task_name)
        await manager.retry_job(job)

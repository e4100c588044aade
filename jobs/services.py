"""Writes to the job queue that staff may make: putting a dead letter back in the queue."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from procrastinate import utils
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.jobs import Status

from common.security_log import security_event


@transaction.atomic
def jobs_retry(*, jobs: Iterable[ProcrastinateJob], actor: User) -> int:
    """Queue again, to run now, each job that failed every attempt; others are left alone.

    Returns how many were queued again.
    """
    retried = 0
    for job in jobs:
        if job.status != Status.FAILED.value:
            continue
        app.job_manager.retry_job_by_id(
            job.id, utils.utcnow(), job.priority, job.queue_name, job.lock
        )
        security_event("job_retried", actor=actor, job=job.id, task=job.task_name)
        retried += 1
    return retried

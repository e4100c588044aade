"""Settings of the worker processes that tests/jobs/test_workers.py starts: the real queue."""

from config.settings.test import *  # noqa: F403
from config.settings.test import JOBS_CRON, PROCRASTINATE_WORKER_DEFAULTS

JOBS_INLINE = False
PROCRASTINATE_IMPORT_PATHS = ["jobs.periodic", "tests.jobs.slow_tasks"]
# Seconds instead of minutes, so that a test sees a dead worker noticed and ticks pass.
JOBS_HEARTBEAT_SECONDS = 0.3
JOBS_STALLED_AFTER_SECONDS = 1.5
PROCRASTINATE_WORKER_DEFAULTS = {
    **PROCRASTINATE_WORKER_DEFAULTS,
    "delete_jobs": "never",  # the test reads which jobs ran
    "update_heartbeat_interval": JOBS_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": JOBS_STALLED_AFTER_SECONDS,
}
JOBS_CRON = {
    **JOBS_CRON,
    "check_encryption_keys": "* * * * * *",
    "retry_stalled_jobs": "* * * * * *",
}

"""Settings of the queue benchmark's worker: the test settings, plus the benchmark's no-op task."""

from config.settings.test import *  # noqa: F403

JOBS_INLINE = False
PROCRASTINATE_IMPORT_PATHS = ["bench.queue_benchmark"]
PROCRASTINATE_WORKER_DEFAULTS = {"delete_jobs": "never"}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

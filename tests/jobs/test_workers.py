"""Real worker processes (`manage.py procrastinate worker`) against the test database.

One test, so that the processes start once: a worker is killed mid-job and another one finishes
the job without writing twice; two workers share the scheduler and each tick runs once.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from common.models import CalendarDay
from tests.processes import processes_stop

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }


@pytest.fixture
def start_worker(committed_db) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "test,periodic"],
            cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    processes_stop(started, sig=signal.SIGINT)


def _rows(sql: str, *params: int) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _job_status(job_id: int) -> str:
    return _rows("SELECT status FROM procrastinate_jobs WHERE id = %s", job_id)[0][0]


def test_killed_worker_loses_nothing_and_periodic_jobs_run_once(start_worker):
    # Given a worker in the middle of a job that writes a row
    from tests.jobs.slow_tasks import slow_write

    first = start_worker()
    job_id = slow_write.defer(day="2031-01-02", seconds=4)
    _wait_for(lambda: _job_status(job_id) == "doing")

    # When the worker dies (SIGKILL: no clean-up) and two others run
    first.kill()
    first.wait()
    assert not CalendarDay.objects.filter(date="2031-01-02").exists()
    start_worker(), start_worker()

    # Then the job runs again once its worker is known dead, and writes its row once
    _wait_for(lambda: _job_status(job_id) == "succeeded", timeout=60)
    assert CalendarDay.objects.filter(date="2031-01-02").count() == 1
    attempts = _rows("SELECT attempts FROM procrastinate_jobs WHERE id = %s", job_id)[0][0]
    assert attempts == 2  # the killed one and the one that finished

    # And every tick of a periodic job was deferred once and run once, by one worker or the other
    time.sleep(3)
    ran = _rows(
        "SELECT task_name, args->>'timestamp', status FROM procrastinate_jobs "
        "WHERE task_name IN ('check_encryption_keys', 'retry_stalled_jobs')"
    )
    ticks = Counter((task, stamp) for task, stamp, _status in ran)
    assert len({stamp for _task, stamp in ticks}) >= 3
    assert set(ticks.values()) == {1}
    assert {status for *_key, status in ran} <= {"succeeded", "doing", "todo"}

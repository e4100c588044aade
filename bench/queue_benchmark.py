"""The job queue (Procrastinate on PostgreSQL): jobs per second and latency, one worker process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes_queue_bench \\
        .venv/bin/python bench/queue_benchmark.py [--jobs 5000] [--concurrency 1 4]

The database must exist and be migrated (`manage.py migrate`). Throughput: N no-op jobs are
enqueued in one transaction, then a worker (`manage.py procrastinate worker`) is started and
timed until the last one has finished (start-up excluded: the clock starts at the first job's
start). Latency: with a worker idle and listening, 200 jobs are enqueued one at a time, each in
its own transaction; latency is from the commit to the job's start (procrastinate_events).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.queue_settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from procrastinate.contrib.django import app  # noqa: E402


@app.task(name="bench.noop", queue="bench")
def noop(*, n: int) -> None:
    return None


def _sql(query: str, *params: Any) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def _worker(concurrency: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "bench",
         "--concurrency", str(concurrency)],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.queue_settings"},
    )  # fmt: skip


def _stop(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    worker.wait(timeout=30)


def _wait_all_done(total: int) -> None:
    while _sql("SELECT count(*) FROM procrastinate_jobs WHERE status = 'succeeded'")[0][0] < total:
        time.sleep(0.1)


def throughput(jobs: int, concurrency: int) -> float:
    _sql("DELETE FROM procrastinate_jobs")
    with transaction.atomic():
        deferrer = noop.configure()
        deferrer.batch_defer(*[{"n": n} for n in range(jobs)])  # type: ignore[arg-type]
    worker = _worker(concurrency)
    try:
        _wait_all_done(jobs)
    finally:
        _stop(worker)
    first, last = _sql(
        "SELECT min(at) FILTER (WHERE type = 'started'), max(at) FILTER (WHERE type = 'succeeded')"
        " FROM procrastinate_events"
    )[0]
    return jobs / (last - first).total_seconds()


def latency(count: int = 200) -> list[float]:
    _sql("DELETE FROM procrastinate_jobs")
    worker = _worker(1)
    time.sleep(3)  # started and listening
    try:
        for n in range(count):
            with transaction.atomic():
                noop.defer(n=n)
            time.sleep(0.02)
        _wait_all_done(count)
    finally:
        _stop(worker)
    rows = _sql(
        "SELECT extract(epoch FROM s.at - d.at) FROM procrastinate_events d "
        "JOIN procrastinate_events s ON s.job_id = d.job_id AND s.type = 'started' "
        "WHERE d.type = 'deferred'"
    )
    return sorted(float(row[0]) * 1000 for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    options = parser.parse_args()
    for concurrency in options.concurrency:
        rate = throughput(options.jobs, concurrency)
        print(
            f"throughput, {options.jobs} no-op jobs, concurrency {concurrency}: {rate:.0f} jobs/s"
        )
    times = latency()
    p50, p99 = statistics.median(times), times[int(len(times) * 0.99) - 1]
    print(f"latency commit -> start, 200 jobs one by one: median {p50:.1f} ms, p99 {p99:.1f} ms")
    _sql("DELETE FROM procrastinate_jobs")


if __name__ == "__main__":
    main()

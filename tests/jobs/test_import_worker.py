"""An admin import run by a real worker (`manage.py procrastinate worker`) that is killed
part-way: nothing of the killed run stays, and the run after it imports every row once."""

import io
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from consents.models import Consent
from imports.models import ImportRun, ImportUpload
from subjects.models import Subject, SubjectSearch
from subjects.selectors import subject_search
from tests.consents.factories import purpose
from tests.jobs.test_workers import _env, _rows, _wait_for

ROOT = Path(__file__).resolve().parents[2]
ROWS = 30_000  # enough for the worker to be seen part-way (a chunk written, the file not done)


def _list() -> bytes:
    lines = ["Email,Имя,Фамилия"] + [
        f"person{n}@example.kz,Айгерим,Касымова{n}" for n in range(ROWS)
    ]
    return ("\n".join(lines) + "\n").encode()


def _worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "imports,periodic"],
        cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _run(run_id: int) -> Callable[[], ImportRun]:
    return lambda: ImportRun.objects.get(pk=run_id)


def test_a_killed_import_worker_loses_nothing_and_writes_nothing_twice(
    committed_db, settings, officer
):
    from imports.services.queued import import_enqueue
    from imports.services.uploads import upload_stage

    # Given an import confirmed in the admin, its job taken by a worker, part of it written
    settings.JOBS_INLINE = False
    staged = upload_stage(io.BytesIO(_list()), user=officer)
    run = import_enqueue(name="big.csv", staged=staged, purpose=purpose(), actor=officer)
    first = _worker()
    second = None
    try:
        _wait_for(lambda: _run(run.pk)().written > 0, timeout=120)
        seen = _run(run.pk)()
        assert seen.state == "running"  # progress, seen from outside the import's transaction
        assert 0 < seen.written < ROWS

        # When the worker dies (SIGKILL: no clean-up)
        first.kill()
        first.wait()

        # Then nothing of it was committed
        assert Subject.objects.count() == 0
        assert Consent.objects.count() == 0

        # And another worker runs the job again once the dead one is noticed, to the end
        second = _worker()
        _wait_for(lambda: _run(run.pk)().state == "done", timeout=300)
        # And the people it created are indexed for the search by a job of their own, which
        # the import enqueued as it committed
        _wait_for(lambda: SubjectSearch.objects.count() == ROWS, timeout=120)
    finally:
        for process in (first, second):
            if process is not None:
                _stop(process)

    done = _run(run.pk)()
    assert (done.rows, done.created, done.written, done.rejected) == (ROWS, ROWS, ROWS, 0)
    assert subject_search(Subject.objects.all(), "касымова29999").count() == 1
    assert Subject.objects.count() == ROWS
    assert Consent.objects.count() == ROWS
    assert Subject.history.count() == ROWS  # one history row each: nothing written twice
    assert not ImportUpload.objects.exists()
    attempts = _rows("SELECT attempts FROM procrastinate_jobs WHERE task_name = 'import_file'")
    assert attempts == [(2,)]  # the killed run and the one that finished

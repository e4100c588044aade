"""Tilda webhook benchmark: gunicorn with 2 workers on loopback, the webhook beside /healthz.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes .venv/bin/python \
        bench/webhook_benchmark.py [--requests 3000] [--concurrency 8]

Creates a scratch test database (test_<name>) with one mapped form, starts gunicorn on it, then
in the same run measures requests/s and p50/p99 latency of:
- GET /healthz (one trivial query: the floor of this server on this machine);
- POST of new submissions (each a new person: a subject, two consents, their history);
- 100 concurrent retries of one tranid, after which exactly one submission and one consent per
  ticked box must exist.
Prints its figures; asserts only the retry count. Other processes load the machine: say so with
the figures.
"""

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

FORMID = "form612345678"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _mapping() -> None:
    from django.utils import timezone

    from common.approval import approval_record
    from common.history import save_with_history
    from consents.models import DocumentKind, Purpose
    from consents.services import policy_version_draft, policy_version_publish
    from webforms.models import TildaConsentBox, TildaForm

    version = policy_version_draft(
        kind=DocumentKind.FORM_CONSENT, version_label="bench", actor=None, reason="bench",
        text_ru="Согласие на обработку персональных данных.",
    )  # fmt: skip
    approval_record(version, approved_by="bench", order_number="1", order_date=timezone.localdate(),
                    actor=None, reason="bench")  # fmt: skip
    version = policy_version_publish(version=version, actor=None, reason="bench")
    form = TildaForm(formid=FORMID, name_kk="Тіркеу", name_ru="Регистрация", name_en="Sign-up",
                     language="kk", policy_version=version)  # fmt: skip
    save_with_history(form, actor=None, reason="bench")
    for field, code in (("Checkbox", "feedback"), ("newsletter", "newsletter")):
        box = TildaConsentBox(form=form, field=field, purpose=Purpose.objects.get(code=code))
        save_with_history(box, actor=None, reason="bench")


def _body(n: int) -> bytes:
    return urlencode({
        "Name": f"Айгерім Нұрланова{n}", "Email": f"bench{n}@example.kz",
        "Phone": f"+7 701 {n % 10_000_000:07d}", "Checkbox": "yes", "newsletter": "yes",
        "utm_source": "instagram", "formid": FORMID, "formname": "Тіркеу",
        "tranid": f"bench:{n}",
    }).encode()  # fmt: skip


def _request(port: int, method: str, path: str, body: bytes | None) -> tuple[float, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return time.perf_counter() - started, response.status


def _phase(name: str, port: int, requests: list[tuple[str, str, bytes | None]],
           concurrency: int) -> None:  # fmt: skip
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda r: _request(port, *r), requests))
    elapsed = time.perf_counter() - started
    latencies = sorted(latency for latency, _status in results)
    statuses = {status for _latency, status in results}
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000
    print(f"{name:<34} {len(requests) / elapsed:8.0f} req/s   p50 {p50:6.1f} ms   "
          f"p99 {p99:6.1f} ms   ({len(requests)} requests, {concurrency} clients, "
          f"statuses {sorted(statuses)})")  # fmt: skip


def _wait_until_up(port: int) -> None:
    for _attempt in range(100):
        try:
            if _request(port, "GET", "/healthz", None)[1] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


THREADS = 1  # --threads: gunicorn's gthread worker when above 1


def _serve(database_url: str, *, apply_after_response: bool) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "ALLOWED_HOSTS": "127.0.0.1",
           "LOG_LEVEL": "WARNING",
           "TILDA_WEBHOOK_APPLY_AFTER_RESPONSE": str(apply_after_response).lower()}  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 -- our own gunicorn, fixed arguments
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--threads", str(THREADS)],
        cwd=ROOT, env=env,
    )  # fmt: skip
    _wait_until_up(port)
    return server, port


def _stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def _states() -> str:
    from django.db.models import Count

    from webforms.models import TildaSubmission

    rows = TildaSubmission.objects.values_list("state").annotate(n=Count("id")).order_by("state")
    return ", ".join(f"{state} {n}" for state, n in rows)


def _round(label: str, database_url: str, n: int, concurrency: int, first: int, *,
           apply_after_response: bool) -> None:  # fmt: skip
    server, port = _serve(database_url, apply_after_response=apply_after_response)
    hook = f"/hooks/tilda/{settings.TILDA_WEBHOOK_SECRETS[0]}/"
    try:
        kind = f"gthread x{THREADS}" if THREADS > 1 else "sync"
        print(f"\n{label}: gunicorn, 2 {kind} workers, 127.0.0.1:{port}")
        _phase("GET /healthz", port, [("GET", "/healthz", None)] * n, concurrency)
        _phase("POST webhook (a new person each)", port,
               [("POST", hook, _body(first + i)) for i in range(n)], concurrency)  # fmt: skip
        _phase("GET /healthz (after)", port, [("GET", "/healthz", None)] * n, concurrency)
        retry = _body(first + 9 * 10**5)
        barrier = threading.Barrier(100)

        def one_retry(_: int) -> tuple[float, int]:
            barrier.wait(timeout=60)
            return _request(port, "POST", hook, retry)

        with ThreadPoolExecutor(max_workers=100) as pool:
            statuses = [status for _latency, status in pool.map(one_retry, range(100))]
    finally:
        time.sleep(2)  # a worker applies its last submission after answering
        _stop(server)
    if not apply_after_response:
        from webforms.selectors import submissions_received
        from webforms.services import submissions_process

        started = time.perf_counter()
        waiting = submissions_received(limit=10 * n)
        submissions_process(submissions=waiting, actor=None)
        elapsed = time.perf_counter() - started
        print(f"{'process_tilda_submissions (1 process)':<34} {len(waiting) / elapsed:8.0f} "
              f"submissions/s applied ({len(waiting)} waiting)")  # fmt: skip
    print(f"states: {_states()}")
    _report_retries(statuses, tranid=f"bench:{first + 9 * 10**5}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--store-only", action="store_true", help="skip the default mode")
    options = parser.parse_args()
    global THREADS  # a command-line setting of this script
    THREADS = options.threads

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    _mapping()
    connection.close()
    database_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    print(f"{os.cpu_count()} cores, shared with other work; {options.requests} requests a phase")
    try:
        n, clients = options.requests, options.concurrency
        if not options.store_only:
            _round("Applied by the web worker after answering (default)", database_url, n,
                   clients, 0, apply_after_response=True)  # fmt: skip
        _round("Stored by the web worker, applied by the command", database_url, n, clients,
               5 * 10**6, apply_after_response=False)  # fmt: skip
    finally:
        from common.history_guard import remove_guards

        remove_guards()
        connection.creation.destroy_test_db(name, verbosity=0)


def _report_retries(statuses: list[int], *, tranid: str) -> None:
    from consents.models import Consent
    from webforms.models import TildaSubmission

    submissions = TildaSubmission.objects.filter(formid=FORMID, tranid=tranid).count()
    consents = Consent.objects.filter(evidence_payload__tranid=tranid).count()
    print(f"100 concurrent retries of one tranid: answers {sorted(set(statuses))}, "
          f"{submissions} submission, {consents} consents (one per ticked box: 2)")  # fmt: skip
    assert submissions == 1, submissions
    assert consents == 2, consents


if __name__ == "__main__":
    main()

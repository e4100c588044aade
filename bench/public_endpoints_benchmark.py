"""The public endpoints under gunicorn (PostgreSQL), each beside /healthz. Prints figures only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes_bench \
        .venv/bin/python bench/public_endpoints_benchmark.py [--requests 3000] [--rounds 5]

First, in this process (Django's test client, no network): the SQL statements and the CPU time
(process time, median) of one request of each kind. Then it starts `gunicorn config.wsgi
--workers 2` (sync workers) on a free loopback port and, per round, sends --requests requests of
each kind from --concurrency client threads (a new connection each, as mail providers and Tilda
open them), each kind right after the same number to `/healthz` on the same server:
- the unsubscribe confirmation page (GET);
- the RFC 8058 one-click POST, each to a different subject with a live consent, so every POST
  withdraws and suppresses for real: it changes the data set;
- the Tilda webhook in store-only mode (`TILDA_WEBHOOK_APPLY_AFTER_RESPONSE=false`, the mode
  for bursts), a new submission each: it adds submissions to the data set.
Prints requests/s, median and p99 latency per kind and round, its ratio to /healthz in the same
round, and the medians over the rounds. The client threads run on the same cores as the server.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
os.environ["TILDA_WEBHOOK_APPLY_AFTER_RESPONSE"] = "false"  # store-only: see the docstring

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from consents.models import Consent, Purpose  # noqa: E402
from consents.unsubscribe import unsubscribe_url  # noqa: E402

ONE_CLICK = b"List-Unsubscribe=One-Click"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
Request = tuple[str, str, bytes | None]  # method, path, body
RUN = uuid.uuid4().hex[:8]  # tranids unique to this run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _send(port: int, request: Request) -> tuple[float, int]:
    method, path, body = request
    started = time.perf_counter()
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection_.request(method, path, body=body, headers=FORM if body else {})
    response = connection_.getresponse()
    response.read()
    connection_.close()
    return (time.perf_counter() - started) * 1000, response.status


def _run(port: int, requests: list[Request], concurrency: int) -> dict[str, float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda request: _send(port, request), requests))
    elapsed = time.perf_counter() - started
    times = sorted(t for t, _status in results)
    return {
        "rate": len(requests) / elapsed,
        "median": statistics.median(times),
        "p99": times[max(0, int(len(times) * 0.99) - 1)],
        "bad": sum(1 for _t, status in results if status != 200),
    }


def _line(name: str, figures: dict[str, float], healthz: dict[str, float] | None = None) -> str:
    line = (
        f"  {name:<22} {figures['rate']:6.0f} req/s  median {figures['median']:6.1f} ms  "
        f"p99 {figures['p99']:6.1f} ms"
    )
    if healthz:
        line += f"  ({figures['rate'] / healthz['rate']:.2f} of /healthz)"
    return line + (f"  ({figures['bad']:.0f} not 200)" if figures["bad"] else "")


def _unsubscribe_paths(purpose: Purpose, count: int) -> list[str]:
    consents = (
        Consent.objects.filter(purpose=purpose, state="given", subject__state="active")
        .select_related("subject")
        .order_by("-id")[:count]
    )
    return [
        "/" + unsubscribe_url(subject=c.subject, purpose=purpose).split("/", 3)[3] for c in consents
    ]


def _tilda_body(n: int) -> bytes:
    return urlencode({
        "Name": f"Айгерім Нұрланова{n}", "Email": f"bench-{RUN}-{n}@example.kz",
        "Phone": f"+7 701 {n % 10_000_000:07d}", "Checkbox": "yes", "newsletter": "yes",
        "utm_source": "instagram", "formid": "form-bench", "formname": "Тіркеу",
        "tranid": f"bench:{RUN}:{n}",
    }).encode()  # fmt: skip


def _hook_path() -> str:
    return f"/hooks/tilda/{settings.TILDA_WEBHOOK_SECRETS[0]}/"


def _in_process(purpose: Purpose, count: int) -> None:
    """Statements and CPU milliseconds of one request, in this process."""
    paths = _unsubscribe_paths(purpose, 2 * count + 2)
    gets, posts = paths[: count + 1], paths[count + 1 :]
    hooks = [_tilda_body(10**6 + i) for i in range(count + 1)]
    client = Client()
    form = FORM["Content-Type"]
    kinds: list[tuple[str, Callable[[int], object]]] = [
        ("/healthz", lambda _i: client.get("/healthz")),
        ("unsubscribe GET", lambda i: client.get(gets[i])),
        ("one-click POST", lambda i: client.post(posts[i], ONE_CLICK, content_type=form)),
        ("webhook (store-only)", lambda i: client.post(_hook_path(), hooks[i], content_type=form)),
    ]
    print(f"in process, {count} requests of each kind (statements; CPU ms median):")
    for name, call in kinds:
        call(count)  # warm-up on the spare path
        cpu, statements = [], set()
        for i in range(count):
            with CaptureQueriesContext(connection) as queries:
                before = time.process_time()
                response = call(i)
                cpu.append((time.process_time() - before) * 1000)
            assert response.status_code == 200, (name, response.status_code)  # type: ignore[attr-defined]
            statements.add(len(queries))
        counts = "/".join(str(n) for n in sorted(statements))
        print(f"  {name:<22} {counts:>5} statements  {statistics.median(cpu):5.1f} ms CPU")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--purpose", default="newsletter")
    parser.add_argument("--in-process", type=int, default=50, help="requests per kind; 0: none")
    parser.add_argument("--workers", default="2")
    parser.add_argument("--threads", default="1", help="threads a worker (gthread when above 1)")
    options = parser.parse_args()
    purpose = Purpose.objects.get(code=options.purpose)
    if options.in_process:
        _in_process(purpose, options.in_process)
    connection.close()
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - a fixed command line
        [
            str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
            "--workers", options.workers, "--threads", options.threads,
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        ],
        cwd=ROOT, env={**os.environ, "LOG_LEVEL": "WARNING"}, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    results: dict[str, list[dict[str, float]]] = {}
    try:
        for _try in range(100):
            try:
                _send(port, ("GET", "/healthz", None))
                break
            except OSError:
                time.sleep(0.2)
        kind = "sync" if options.threads == "1" else f"gthread x{options.threads}"
        print(f"gunicorn, {options.workers} {kind} workers, 127.0.0.1:{port}; "
              f"{os.cpu_count()} cores shared with the client and other work")  # fmt: skip
        for round_number in range(1, options.rounds + 1):
            n = options.requests
            # Fresh subjects every round: each POST withdraws a live consent.
            paths = _unsubscribe_paths(purpose, n)
            first = round_number * 10 * n
            kinds: dict[str, list[Request]] = {
                "unsubscribe GET": [("GET", path, None) for path in paths],
                "one-click POST": [("POST", path, ONE_CLICK) for path in paths],
                "webhook (store-only)": [
                    ("POST", _hook_path(), _tilda_body(first + i)) for i in range(n)
                ],
            }
            print(f"round {round_number} ({n} requests of each kind, {options.concurrency} "
                  f"clients, load average {os.getloadavg()[0]:.1f}):")  # fmt: skip
            for name, requests in kinds.items():
                healthz = _run(port, [("GET", "/healthz", None)] * n, options.concurrency)
                figures = _run(port, requests, options.concurrency)
                print(_line("/healthz", healthz))
                print(_line(name, figures, healthz))
                ratio = figures["rate"] / healthz["rate"]
                results.setdefault(name, []).append(figures | {"ratio": ratio})
                results.setdefault(f"/healthz before {name}", []).append(healthz)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"medians over {options.rounds} rounds:")
    for name, rounds in results.items():
        med = {key: statistics.median(r[key] for r in rounds) for key in ("rate", "median", "p99")}
        of_healthz = ""
        if "ratio" in rounds[0]:
            of_healthz = f"  {statistics.median(r['ratio'] for r in rounds):.2f} of /healthz"
        print(f"  {name:<38} {med['rate']:6.0f} req/s  median {med['median']:6.1f} ms  "
              f"p99 {med['p99']:6.1f} ms{of_healthz}")  # fmt: skip


if __name__ == "__main__":
    main()

"""The public unsubscribe endpoints under gunicorn (PostgreSQL). Prints figures only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes_bench \
        .venv/bin/python bench/public_endpoints_benchmark.py [--requests 3000] [--rounds 3]

Starts `gunicorn config.wsgi --workers 2` on a free loopback port and, per round, sends
--requests requests of each kind from --concurrency client threads (a new connection each, as
mail providers open them): the unsubscribe confirmation page (GET), the RFC 8058 one-click POST
(each to a different subject with a live consent, so every POST withdraws and suppresses for
real: it changes the data set), and the login page as the cheap page on the same server in the
same round. Prints requests/s, median and p99 latency per kind and round.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import django  # noqa: E402

django.setup()

from consents.models import Consent, Purpose  # noqa: E402
from consents.unsubscribe import unsubscribe_url  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request(port: int, method: str, path: str) -> tuple[float, int]:
    body = "List-Unsubscribe=One-Click" if method == "POST" else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return (time.perf_counter() - started) * 1000, response.status


def _run(port: int, method: str, paths: list[str], concurrency: int) -> str:
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda path: _request(port, method, path), paths))
    elapsed = time.perf_counter() - started
    times = sorted(t for t, _status in results)
    bad = sum(1 for _t, status in results if status != 200)
    p99 = times[int(len(times) * 0.99) - 1]
    return (
        f"{len(paths) / elapsed:7.0f} req/s  median {statistics.median(times):6.1f} ms  "
        f"p99 {p99:6.1f} ms" + (f"  ({bad} not 200)" if bad else "")
    )


def _paths(purpose: Purpose, count: int) -> list[str]:
    consents = (
        Consent.objects.filter(purpose=purpose, state="given", subject__state="active")
        .select_related("subject")
        .order_by("-id")[:count]
    )
    return [
        "/" + unsubscribe_url(subject=c.subject, purpose=purpose).split("/", 3)[3] for c in consents
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--purpose", default="newsletter")
    options = parser.parse_args()
    purpose = Purpose.objects.get(code=options.purpose)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - a fixed command line
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
    )
    try:
        for _try in range(100):
            try:
                _request(port, "GET", "/admin/login/")
                break
            except OSError:
                time.sleep(0.2)
        for round_number in range(1, options.rounds + 1):
            # Fresh subjects every round: each POST withdraws a live consent.
            paths = _paths(purpose, options.requests)
            print(f"round {round_number} ({len(paths)} requests of each kind):")
            login = ["/admin/login/"] * len(paths)
            print(f"  login page (cheap page)  {_run(port, 'GET', login, options.concurrency)}")
            print(f"  unsubscribe GET          {_run(port, 'GET', paths, options.concurrency)}")
            print(f"  one-click POST           {_run(port, 'POST', paths, options.concurrency)}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

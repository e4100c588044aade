"""Two application servers (gunicorn, as deploy/gunicorn.conf.py) and two workers, one database.

A person logged in through one server is served by the other; an action on one enqueues an
e-mail that one worker sends, once; a list uploaded and previewed through one server is confirmed
through the other and imported by a worker, once; every tick of the periodic jobs runs once;
logs are JSON.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from tests.consents.factories import ConsentFactory
from tests.processes import processes_stop
from tests.requests.conftest import SmtpSink

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, "the server exited"
        try:
            build_opener().open(url, timeout=1)
            return
        except HTTPError:
            return
        except OSError:
            assert time.monotonic() < deadline, f"{url} never answered"
            time.sleep(0.2)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    port = _free_port()
    sink = SmtpSink(port=port)
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def cluster(committed_db, sink, tmp_path) -> Iterator[dict]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.production.server_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TEST_SMTP_PORT": str(sink.port),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_FORMAT": "json",
        "MEDIA_ROOT": str(tmp_path / "shared-media"),  # one volume for all
        "WEB_CONCURRENCY": "2",
    }
    ports = [_free_port(), _free_port()]
    processes: list[subprocess.Popen[bytes]] = []
    logs = []
    for index, port in enumerate(ports):
        log = (tmp_path / f"web{index}.log").open("wb")
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log, stderr=subprocess.STDOUT,
        ))  # fmt: skip
    for index in range(2):
        logs.append(tmp_path / f"worker{index}.log")
        processes.append(subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker"],
            cwd=ROOT, env=env, stdout=logs[-1].open("wb"), stderr=subprocess.STDOUT,
        ))  # fmt: skip
    try:
        for port, process in zip(ports, processes, strict=False):
            _wait_for(f"http://127.0.0.1:{port}/healthz", process)
        yield {"urls": [f"http://127.0.0.1:{port}" for port in ports], "worker_logs": logs}
    finally:
        processes_stop(processes, timeout=15)


def _rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.mark.usefixtures("reseeded")
def test_two_servers_and_two_workers_share_one_database(cluster, officer, sink):
    first, second = cluster["urls"]
    consent = ConsentFactory(subject__email="olga@example.org")
    staff = Client()
    staff.force_login(officer)
    jar = CookieJar()
    browser = build_opener(HTTPCookieProcessor(jar))
    session = staff.cookies[django_settings.SESSION_COOKIE_NAME].value

    # Both servers answer the load balancer
    for url in (first, second):
        health = json.loads(browser.open(f"{url}/healthz").read())
        assert health == {"status": "ok", "database": "ok", "migrations": "ok"}

    # A page through the first server, then its form posted through the second
    def get(url: str) -> str:
        request = Request(url, headers={"Cookie": f"sessionid={session}; {_csrf_cookie(jar)}"})
        return browser.open(request).read().decode()

    page = get(f"{first}/admin/consents/consent/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urlencode(
        {"csrfmiddlewaretoken": token, "action": "send_receipt", "_selected_action": consent.pk}
    ).encode()
    posted = browser.open(Request(
        f"{second}/admin/consents/consent/", data=form,
        headers={"Cookie": f"sessionid={session}; {_csrf_cookie(jar)}",
                 "Referer": f"{second}/admin/consents/consent/"},
    ))  # fmt: skip
    assert posted.status == 200

    # A list previewed through the first server, confirmed through the second, imported once
    page = get(f"{first}/admin/imports/importrun/import/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body, content_type = _multipart(
        {"csrfmiddlewaretoken": token, "resource": "0", "purpose": consent.purpose_id,
         "list_format": "auto", "encoding": "auto", "language": "auto"},
        "list.csv", LIST,
    )  # fmt: skip
    preview = browser.open(Request(
        f"{first}/admin/imports/importrun/import/", data=body,
        headers={"Cookie": f"sessionid={session}; {_csrf_cookie(jar)}",
                 "Content-Type": content_type,
                 "Referer": f"{first}/admin/imports/importrun/import/"},
    )).read().decode()  # fmt: skip
    upload = re.search(r'name="upload" value="([^"]+)"', preview).group(1)
    confirm = urlencode({"csrfmiddlewaretoken": token, "upload": upload, "confirm": "1"}).encode()
    browser.open(Request(
        f"{second}/admin/imports/importrun/process_import/", data=confirm,
        headers={"Cookie": f"sessionid={session}; {_csrf_cookie(jar)}",
                 "Referer": f"{second}/admin/imports/importrun/import/"},
    ))  # fmt: skip
    deadline = time.monotonic() + 30
    while _rows("SELECT state FROM imports_importrun") != [("done",)]:
        assert time.monotonic() < deadline, _rows("SELECT state, error FROM imports_importrun")
        time.sleep(0.2)
    assert _rows("SELECT created, rejected FROM imports_importrun") == [(2, 0)]
    assert _rows("SELECT count(*) FROM subjects_subject WHERE email LIKE '%@list.example.kz'") == [
        (2,)
    ]
    assert _rows("SELECT count(*) FROM imports_importupload") == [(0,)]

    # The receipt goes out once, from one of the workers
    deadline = time.monotonic() + 20
    while not sink.received and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    assert [envelope[1] for envelope in sink.envelopes] == [["olga@example.org"]]
    assert _rows("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'send_email' "
                 "AND status = 'succeeded'") == [(1,)]  # fmt: skip

    # Every tick of the periodic jobs ran once, with two workers scheduling
    time.sleep(3)
    ran = _rows(
        "SELECT task_name, args->>'timestamp' FROM procrastinate_jobs "
        "WHERE task_name IN ('check_encryption_keys', 'retry_stalled_jobs')"
    )
    ticks = Counter(ran)
    assert len(ticks) >= 6
    assert set(ticks.values()) == {1}

    # The workers log JSON lines
    lines = [line for log in cluster["worker_logs"] for line in log.read_text().splitlines()]
    events = [json.loads(line) for line in lines if line.startswith("{")]
    assert events
    assert any(event["logger"].startswith("procrastinate") for event in events)


LIST = "Email,Имя,Фамилия\nalua@list.example.kz,Алуа,Серікқызы\nivan@list.example.kz,Иван,Петров\n"


def _multipart(fields: dict[str, object], name: str, content: str) -> tuple[bytes, str]:
    """A form with one file, as a browser posts it (RFC 7578)."""
    boundary = "derbes-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; filename="{name}"'
        f"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
    )
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def _csrf_cookie(jar: CookieJar) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)

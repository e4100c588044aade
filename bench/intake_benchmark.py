"""Benchmark of mail intake: an mbox of 10,000 letters read into requests (see bench/README.md).

    DATABASE_URL=postgres://... .venv/bin/python bench/intake_benchmark.py [--messages 10000]

Creates its own scratch database on the server of DATABASE_URL (`derbes_intake_bench`, with
Django's test-database machinery), writes an mbox of --messages letters in the shapes intake
meets (Russian, Kazakh and English; plain text, HTML only, a PDF scan attached, card numbers to
mask, one in 50 without a sender, one in 50 a copy of an earlier letter), and reads it with
`requests.services.mailbox.files_ingest`, as `ingest_requests FILE.mbox` does: each message in
its own savepoint, its .eml and attachments written to a scratch MEDIA_ROOT. Prints messages
per second and the peak memory: the process's peak resident set size (VmHWM, Django included)
and, with --python-peak, the peak of Python allocations during the run (tracemalloc, which
slows the run). Asserts nothing; drops its
database and files at the end.
"""

import argparse
import base64
import mailbox
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
SCRATCH = "derbes_intake_bench"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402

BODIES = (
    ("ru", "Удаление данных", "Прошу удалить мои персональные данные.\n\nС уважением,\n{name}"),
    ("kk", "Деректерді жою", "Менің дербес деректерімді жоюыңызды сұраймын.\n\nҚұрметпен,\n{name}"),
    ("en", "Access request", "What personal data do you hold about me?\n\nBest regards,\n{name}"),
    ("ru", "Отзыв согласия", "Отзываю согласие на рассылку. Карта 4111 1111 1111 1111.\n{name}"),
)
NAMES = ("Смирнов Олег Петрович", "Омарова Айгүл Серікқызы", "Daniel Kim", "Ким Асель Маратовна")
PDF = base64.encodebytes(b"%PDF-1.4\n" + b"0" * 4000 + b"\n%%EOF\n").decode("ascii")


def letter(number: int) -> bytes:
    _language, subject, body = BODIES[number % len(BODIES)]
    name = NAMES[number % len(NAMES)]
    address = f"person{number}@example.kz"
    date = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=number)
    sender = "" if number % 50 == 7 else f"From: =?utf-8?b?{_b64(name)}?= <{address}>\n"
    head = (
        f"{sender}To: privacy@example.org\nSubject: =?utf-8?b?{_b64(subject)}?=\n"
        f"Date: {format_datetime(date)}\nMessage-ID: {make_msgid(str(number), 'bench.example')}\n"
        "MIME-Version: 1.0\n"
    )
    text = body.format(name=name)
    if number % 7 == 3:  # HTML only
        html = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</body>"
        return (head + "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: "
                "base64\n\n" + _b64(html + "</html>") + "\n").encode()  # fmt: skip
    if number % 10 == 5:  # a signed scan attached
        return (
            head + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
            + _b64(text)
            + "\n--b\nContent-Type: application/pdf\n"
            'Content-Disposition: attachment; filename="application.pdf"\n'
            "Content-Transfer-Encoding: base64\n\n" + PDF + "--b--\n"
        ).encode()
    return (head + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
            + _b64(text) + "\n").encode()  # fmt: skip


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


def write_mbox(path: Path, count: int) -> int:
    box = mailbox.mbox(path)
    written: list[bytes] = []
    for number in range(count):
        raw = written[number - 40] if number % 50 == 45 else letter(number)  # a copy
        written.append(raw)
        box.add(raw)
    box.close()
    return count


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument(
        "--python-peak", action="store_true", help="trace Python allocations (slows the run)"
    )
    args = parser.parse_args()

    from django.test.utils import setup_databases, teardown_databases

    from requests.models import SubjectRequest, UnreadableMessage
    from requests.services.mailbox import files_ingest

    scratch = Path(tempfile.mkdtemp(prefix="derbes-intake-bench-"))
    settings.MEDIA_ROOT = scratch / "media"
    connections["default"].settings_dict["TEST"]["NAME"] = SCRATCH
    old = setup_databases(verbosity=0, interactive=False)
    try:
        path = scratch / "privacy.mbox"
        write_mbox(path, args.messages)
        size = path.stat().st_size / 2**20
        before = _peak_rss_mib()
        if args.python_peak:
            tracemalloc.start()
        started = time.perf_counter()
        counts = files_ingest([path])
        elapsed = time.perf_counter() - started
        _current, python_peak = tracemalloc.get_traced_memory()
        if args.python_peak:
            tracemalloc.stop()
        stored = SubjectRequest.objects.count() + UnreadableMessage.objects.count()
        print(f"mbox: {args.messages} letters, {size:.1f} MiB")
        print(f"counts: {counts.as_dict()} (requests + unreadable stored: {stored})")
        print(f"time: {elapsed:.1f} s, {args.messages / elapsed:.0f} messages/s")
        print(f"peak RSS: {_peak_rss_mib():.0f} MiB (before the run: {before:.0f} MiB)")
        if args.python_peak:
            print(f"peak Python allocations during the run: {python_peak / 2**20:.1f} MiB")
    finally:
        teardown_databases(old, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

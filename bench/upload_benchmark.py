"""A large list through the admin's import page (PostgreSQL). Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/derbes_bench \
        .venv/bin/python bench/upload_benchmark.py [--rows 1000000]

A generated list (bench/listgen.py) of --rows rows is posted to the import page through Django's
test client as an officer would upload it: the page parses the upload, previews its first
IMPORT_ADMIN_PREVIEW_ROWS rows (the import, rolled back) and keeps the file in parts for the
confirm step (imports.services.uploads); then the confirm step hands the parts to a queued
import, and the parts are read back as the worker reads them. Each is timed. Python's allocations
at peak are measured (tracemalloc) around keeping the file and reading it back, beside the
baseline of the page before: the whole file read into memory (then compressed into the page).
Everything runs in one transaction that is rolled back: the register is left as it was and the
import's job never runs (its own figures: import_benchmark.py --million).
"""

import argparse
import os
import re
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from listgen import write_list  # noqa: E402

from consents.models import Purpose  # noqa: E402
from imports.models import ImportRun, ImportUpload  # noqa: E402
from imports.services.uploads import run_file_open, upload_stage  # noqa: E402


class _RolledBack(Exception):
    pass


def _peak(action: Callable[[], None]) -> tuple[float, float]:
    """Seconds and peak MiB of Python allocations of `action()`."""
    tracemalloc.start()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    settings.JOBS_INLINE = False
    officer = User.objects.filter(is_superuser=True).first()
    assert officer is not None, "no superuser: run manage.py generate_dataset first"
    purpose = Purpose.objects.get(code="newsletter")
    with tempfile.TemporaryDirectory() as folder:
        path = write_list(Path(folder) / "old-list.csv", args.rows)
        size = path.stat().st_size / 2**20
        print(f"{args.rows:,} rows, {size:.1f} MiB; PART_BYTES 8 MiB")
        try:
            with transaction.atomic():
                _measure(path, size, officer, purpose)
                raise _RolledBack
        except _RolledBack:
            pass


def _measure(path: Path, size: float, officer: User, purpose: Purpose) -> None:
    client = Client()
    client.force_login(officer)
    with path.open("rb") as file:
        data = {"import_file": file, "resource": "0", "purpose": purpose.pk,
                "list_format": "auto", "encoding": "auto", "language": "auto"}  # fmt: skip
        started = time.perf_counter()
        page = client.post(reverse("admin:imports_importrun_import"), data)
        seconds = time.perf_counter() - started
    assert page.status_code == 200, page.status_code
    found = re.search(r'name="upload" value="([^"]+)"', page.content.decode())
    assert found, "no confirm step: the preview refused the file"
    token = found.group(1)
    parts = ImportUpload.objects.filter(run=None).count()
    print(
        f"upload page (the request parsed, {settings.IMPORT_ADMIN_PREVIEW_ROWS:,} rows previewed,"
        f" the file kept in {parts} parts): {seconds:.1f} s ({size / seconds:.0f} MiB/s)"
    )
    started = time.perf_counter()
    client.post(reverse("admin:imports_importrun_process_import"), {"upload": token, "confirm": 1})
    run = ImportRun.objects.filter(file_name="old-list.csv", state="queued").latest("id")
    print(f"confirm step (record, parts handed over, job queued): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")  # fmt: skip

    def read_back() -> None:
        with run_file_open(run) as stream:
            while stream.read(2**20):
                pass

    seconds, peak = _peak(read_back)
    print(f"parts read back as the worker does: {seconds:.1f} s; Python allocations at peak "
          f"{peak:.1f} MiB")  # fmt: skip

    def keep() -> None:
        with path.open("rb") as file:
            upload_stage(file, user=officer)

    seconds, peak = _peak(keep)
    print(f"the file kept in parts: {seconds:.1f} s; Python allocations at peak {peak:.1f} MiB")

    def whole() -> None:
        import base64
        import zlib

        content = path.read_bytes()
        base64.urlsafe_b64encode(zlib.compress(content, 6))

    seconds, peak = _peak(whole)
    print(f"  baseline, the page before (the file read whole, compressed into the page): "
          f"{seconds:.1f} s; Python allocations at peak {peak:.1f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()

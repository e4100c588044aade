"""Browser tests: Playwright driving the system's Chromium against a live server on PostgreSQL.

The browser is Debian's `chromium` package (installed by .ci/run), never one Playwright
downloads. One browser per session; each test gets a fresh page at 1366×768 (a laptop screen)
and a shot of each step in var/screenshots/<test>/. With README_SCREENSHOTS=1 the steps named
for the README are also written, shrunk, to docs/screenshots/ (see the README).
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
README_SHOTS = ROOT / "docs" / "screenshots"
README_WIDTH = 800  # px: small PNGs in the repository
WIDTH, HEIGHT = 1366, 768
PASSWORD = "pw-for-tests-only"  # tests/conftest.py


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI"):  # CI installs it: missing there is a failure, not a skip
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between steps are plain synchronous calls, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class Shots:
    """Numbered screenshots of one test's steps."""

    def __init__(self, page, folder: Path) -> None:
        self.page = page
        self.folder = folder
        self.count = 0

    def __call__(self, step: str, *, readme: str | None = None) -> None:
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.count:02d}-{step}.png"
        self.page.wait_for_load_state()  # a click that navigates returns before the page is there
        self.page.screenshot(path=str(path))
        if readme and os.environ.get("README_SCREENSHOTS"):
            from PIL import Image

            README_SHOTS.mkdir(parents=True, exist_ok=True)
            with Image.open(path) as image:
                height = round(image.height * README_WIDTH / image.width)
                small = image.convert("RGB").resize(
                    (README_WIDTH, height), Image.Resampling.LANCZOS
                )
                small.quantize(colors=128).save(README_SHOTS / f"{readme}.png", optimize=True)


@pytest.fixture
def page(browser, live_server, committed_db, settings, tmp_path, request):
    """A fresh browser context (no cookies) on the live server; files of the test in tmp."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ERASURE_JOURNAL_PATH = tmp_path / "erasure-journal.jsonl"
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        base_url=live_server.url,
        locale="en-US",
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def shot(page, request) -> Shots:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    return Shots(page, SHOTS / name)


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def log_in(page, user: User, shot: Shots | None = None) -> None:
    """As a person logs in: password, then the six-digit code of their authenticator app."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.get_username())
    page.locator("#id_password").fill(PASSWORD)
    if shot:
        shot("login")
    page.locator("#id_password").press("Enter")
    page.locator("#id_otp_token").fill(totp_code(device))
    if shot:
        shot("two-factor")
    page.locator("#id_otp_token").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))


@pytest.fixture
def officer_page(page, officer, settings):
    """The privacy officer logged in (two-factor on, as in production)."""
    settings.OTP_REQUIRED = True
    log_in(page, officer)
    return page

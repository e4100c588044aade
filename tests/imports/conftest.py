import io
from pathlib import Path

import pytest

from consents.models import Consent, SuppressionEntry
from imports.models import ImportRun
from imports.services import ImportSource, mailing_list_import
from subjects.models import Subject
from tests.consents.factories import purpose

# The old lists the tests import: written for the tests, in the shapes the real tools save
# (Excel's "Save as CSV" in each code page, Mailchimp's audience export). test_samples.py
# describes each file and what it must give.
DATA = Path(__file__).parent / "data"


def sample(name: str) -> Path:
    """A list from tests/imports/data/; a name that isn't there fails loudly."""
    path = DATA / name
    if not path.is_file():
        raise FileNotFoundError(f"no test list {name} in {DATA}")
    return path


def table_counts() -> dict[str, int]:
    """Rows of every table an import writes, history tables included."""
    return {
        "subjects": Subject.objects.count(),
        "subject history": Subject.history.count(),
        "consents": Consent.objects.count(),
        "consent history": Consent.history.count(),
        "suppression": SuppressionEntry.objects.count(),
        "suppression history": SuppressionEntry.history.count(),
        "import runs": ImportRun.objects.count(),
        "import run history": ImportRun.history.count(),
    }


def run_import(content: bytes | Path, *, name: str = "list.csv", actor=None, **options):
    """Import `content` (bytes, or a file) for the newsletter purpose; returns the report."""
    if isinstance(content, Path):
        name, content = content.name, content.read_bytes()
    options.setdefault("purpose", purpose())
    return mailing_list_import(
        sources=[ImportSource(name, io.BytesIO(content))], actor=actor, **options
    )


def counts_of(report) -> dict[str, int]:
    totals = report.totals()
    return {key: totals[key] for key in (
        "created", "updated", "unchanged", "suppressed", "withdrawn", "rejected",
    )}  # fmt: skip


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ERASURE_JOURNAL_PATH = tmp_path / "erasure-journal.jsonl"

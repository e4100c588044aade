import pytest


@pytest.fixture
def media(settings, tmp_path):
    """Files and the erasure journal in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ERASURE_JOURNAL_PATH = tmp_path / "journal.jsonl"
    return settings.MEDIA_ROOT

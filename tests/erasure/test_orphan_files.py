import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.requests.letters import letter


def _aged(path: Path, hours: float = 2) -> Path:
    past = time.time() - hours * 3600
    os.utime(path, (past, past))
    return path


@pytest.mark.django_db
def test_files_no_row_points_at_are_swept_and_referenced_or_young_ones_kept(monkeypatch, media):
    from tests.erasure.test_unreadable import _keep_unreadable

    kept = _keep_unreadable(monkeypatch, letter(sender="bekov@example.kz"))
    referenced = _aged(Path(kept.raw_message.path))
    orphan = Path(media) / "requests" / "unreadable" / "left-by-a-crash.eml"
    orphan.write_bytes(b"From: bekov@example.kz\r\n\r\n")
    _aged(orphan)
    young = Path(media) / "requests" / "unreadable" / "being-written.eml"
    young.write_bytes(b"x")

    dry = StringIO()
    call_command("delete_orphan_files", "--dry-run", stdout=dry)
    assert orphan.exists()
    out = StringIO()
    call_command("delete_orphan_files", stdout=out)

    assert "requests/unreadable/left-by-a-crash.eml" in dry.getvalue()
    assert "1 orphan files would be deleted." in dry.getvalue()
    assert "1 orphan files deleted." in out.getvalue()
    assert not orphan.exists()
    assert referenced.exists()
    assert young.exists()

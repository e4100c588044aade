"""The file of an admin import kept in parts (imports.services.uploads): cut at line breaks,
read back whole, measured as it goes by, expired after an hour."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from imports.models import ImportUpload
from imports.services import uploads
from imports.services.uploads import staged_open, staged_uploads_expire, upload_stage


def _parts(content: bytes, size: int, monkeypatch) -> list[bytes]:
    monkeypatch.setattr(uploads, "PART_BYTES", size)
    return list(uploads._parts(io.BytesIO(content)))


def test_parts_end_at_a_line_break_and_make_the_file_again(monkeypatch):
    content = b"Email\r\n" + b"".join(b"a%d@example.kz\r\n" % n for n in range(50))

    parts = _parts(content, 64, monkeypatch)

    assert b"".join(parts) == content
    assert all(part.endswith(b"\n") and len(part) <= 64 for part in parts)


def test_a_line_longer_than_a_part_is_cut_where_the_part_ends(monkeypatch):
    content = b"x" * 150 + b"\nshort\n"

    parts = _parts(content, 64, monkeypatch)

    assert b"".join(parts) == content
    assert [len(part) for part in parts[:2]] == [64, 64]


def test_an_empty_file_is_one_empty_part(monkeypatch):
    assert _parts(b"", 64, monkeypatch) == [b""]


@pytest.mark.django_db
def test_a_staged_file_is_measured_and_read_back_whole(monkeypatch, officer):
    monkeypatch.setattr(uploads, "PART_BYTES", 32)
    content = "Email;Аты-жөні\n" + "".join(f"p{n}@example.kz;Әлия\n" for n in range(9))
    raw = content.encode("utf-8-sig")

    staged = upload_stage(io.BytesIO(raw), user=officer)

    assert (staged.size, staged.sha256) == (len(raw), hashlib.sha256(raw).hexdigest())
    assert staged.rows_estimate == 9
    assert ImportUpload.objects.filter(stage=staged.stage, staged_by=officer).count() > 3
    with staged_open(staged, user=officer) as stream:
        assert stream.read() == raw


@pytest.mark.django_db
def test_an_empty_staged_file_reads_back_empty(officer):
    staged = upload_stage(io.BytesIO(b""), user=officer)

    assert (staged.size, staged.rows_estimate) == (0, 0)
    with staged_open(staged, user=officer) as stream:
        assert stream.read() == b""


@pytest.mark.django_db
def test_only_previews_older_than_an_hour_expire_and_a_file_counts_once(monkeypatch, officer):
    monkeypatch.setattr(uploads, "PART_BYTES", 8)
    old = upload_stage(io.BytesIO(b"Email\nold@example.kz\n"), user=officer)
    fresh = upload_stage(io.BytesIO(b"Email\nnew@example.kz\n"), user=officer)
    ImportUpload.objects.filter(stage=old.stage).update(
        staged_at=timezone.now() - timedelta(seconds=uploads.CONFIRM_MAX_AGE + 1)
    )

    assert staged_uploads_expire() == 1

    assert set(ImportUpload.objects.values_list("stage", flat=True)) == {fresh.stage}

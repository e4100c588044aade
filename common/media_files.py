"""Files under MEDIA_ROOT that no row (live or in history) points at any more.

Files are deleted after the transaction that forgot them commits (erasure, record_delete), and
written before the row that points at them (intake, uploads). A crash between the two leaves a
file nobody can find through the registers, and erasure could not reach the person in it. The
sweep finds those files; it leaves young ones alone, which may belong to a row still being
written.
"""

import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models

from common.checks import project_models


def referenced_files() -> set[str]:
    """Every file name a FileField of a project model holds (history models are project
    models too: a file an old version points at is still referenced)."""
    names: set[str] = set()
    for model in project_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._default_manager.exclude(**{field.attname: ""})
                names.update(n for n in rows.values_list(field.attname, flat=True) if n)
    return names


def orphan_files(*, older_than: timedelta = timedelta(hours=1)) -> list[Path]:
    """Files under MEDIA_ROOT no row points at, last changed longer ago than `older_than`."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    known = referenced_files()
    cutoff = time.time() - older_than.total_seconds()
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.relative_to(root).as_posix() not in known
        and path.stat().st_mtime < cutoff
    )

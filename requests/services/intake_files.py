"""Files written in step with their rows: a rolled-back row leaves no file behind.

Django writes a FileField's file at once, before the row's INSERT, and a transaction that rolls
back does not take the file with it: a letter's .eml and attachments would stay on disk with no
row pointing at them, where erasure can't find them. Intake writes its files through `file_save`
inside `files_in_step()`: when the block raises, every file written in it is deleted; when it
succeeds inside another such block, the outer block takes them over (its own rollback deletes
them too).
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile

_Written = list[tuple[Storage, str]]
_stages: ContextVar[tuple[_Written, ...]] = ContextVar("intake_file_stages", default=())


@contextlib.contextmanager
def files_in_step() -> Iterator[None]:
    """Delete the files written inside the block when the block raises."""
    written: _Written = []
    token = _stages.set((*_stages.get(), written))
    try:
        yield
    except BaseException:
        for storage, name in written:
            with contextlib.suppress(OSError):  # already gone: nothing left to remove
                storage.delete(name)
        raise
    finally:
        _stages.reset(token)
    outer = _stages.get()
    if outer:
        outer[-1].extend(written)


def file_save(field_file: FieldFile, name: str, data: bytes) -> None:
    """Write `data` as the file of `field_file` (the row is saved by the caller)."""
    field_file.save(name, ContentFile(data), save=False)
    stages = _stages.get()
    if stages and field_file.name:
        stages[-1].append((field_file.storage, field_file.name))

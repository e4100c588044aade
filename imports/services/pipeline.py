"""Reading and validating in a thread of its own, while the database writes the chunk before.

Python spends its time parsing and checking rows; the server spends its time writing them.
Done one after the other, an import costs the sum of both; with the reader a chunk ahead, it
costs about the larger. The thread touches no database (Django connections are per thread and
the import is one transaction on the caller's), only the file and the rows' checks; a bounded
queue keeps at most two chunks in memory whatever the file's size.
"""

import contextlib
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from imports.services.reading import FileUnreadable, Table
from imports.services.rows import Rejected, StageRow

CHUNK_ROWS = 10_000
FIRST_CHUNK_ROWS = 2_000  # the database starts sooner; later chunks amortise their statements
PROGRESS_EVERY = 100_000
REJECTED_SAMPLE = 500  # rejected rows kept in the report; all of them go to `on_reject`
SWITCH_INTERVAL = 0.0005  # seconds
_DONE = object()


@dataclass
class Reader:
    table: Table
    clean: Callable[[int, list[str]], StageRow | Rejected | None]
    prepare: Callable[[StageRow], Any]  # what the writer takes for a row (a COPY line, the row)
    report: Any  # importing.FileReport: rows, rejected, rejected_rows are counted here
    max_rows: int | None
    stop_after: int | None  # a preview reads this many rows and stops there, without error
    on_reject: Callable[[Any, list[str], Rejected], None] | None
    progress: Callable[[str, int], None] | None
    _queue: queue.Queue[Any] = field(default_factory=lambda: queue.Queue(maxsize=2))
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _interval: float = 0.005

    def __enter__(self) -> "Reader":
        # The writer thread waits on the database with the GIL released, and needs it back
        # for moments only (sending a COPY buffer, starting a statement); by default it would
        # wait up to 5 ms each time for the reading thread to let go.
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        language = translation.get_language()
        self._thread = threading.Thread(target=self._read, args=(language,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *error: object) -> None:
        # On an error in the writer the thread may wait on a full queue: stop it and drain.
        self._stop.set()
        while self._thread.is_alive():  # type: ignore[union-attr]
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.05)
        self._thread.join()  # type: ignore[union-attr]
        sys.setswitchinterval(self._interval)

    def chunks(self) -> Iterator[list[Any]]:
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _read(self, language: str) -> None:
        try:
            with translation.override(language):
                self._read_rows()
        except BaseException as error:
            self._put(error)

    def _read_rows(self) -> None:
        report, clean, prepare = self.report, self.clean, self.prepare
        on_reject, progress, max_rows = self.on_reject, self.progress, self.max_rows
        chunk: list[Any] = []
        size = FIRST_CHUNK_ROWS
        stop_after = self.stop_after
        for line, cells in self.table.records:
            if stop_after is not None and report.rows >= stop_after:
                report.truncated = True
                break
            report.rows += 1
            if max_rows is not None and report.rows > max_rows:
                raise FileUnreadable(
                    _(
                        "The file has more than %(limit)s rows, the limit of an upload here. "
                        "Import it with the command: python manage.py import_mailing_list FILE "
                        "--purpose CODE."
                    )
                    % {"limit": max_rows}
                )
            if progress is not None and report.rows % PROGRESS_EVERY == 0:
                progress(report.name, report.rows)
            result = clean(line, cells)
            if result is None:  # a valid row that the file's other pass writes
                continue
            if type(result) is Rejected:
                report.rejected += 1
                if len(report.rejected_rows) < REJECTED_SAMPLE:
                    report.rejected_rows.append(result)
                if on_reject is not None:
                    on_reject(report, self.table.header, result)
                continue
            chunk.append(prepare(result))  # type: ignore[arg-type]
            if len(chunk) >= size:
                if not self._put(chunk):
                    return
                chunk, size = [], CHUNK_ROWS
        if chunk and not self._put(chunk):
            return
        self._put(_DONE)

"""The rejected rows of an import as CSV: each with its line and reason, then its own cells.

With one file, the columns are the file's own, plus "Line" and "Reason" in front, and the file
comes back in the encoding and with the delimiter of the file it came from (Excel in Almaty
opens it as it opened the original): correct the cells and import the same file again (the two
extra columns are ignored). Several files at once share one file in UTF-8 with a "File" column.
Cells are escaped against spreadsheet formulas, and card numbers were blotted out when the row
was rejected.
"""

import codecs
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from django.utils.translation import gettext as _

from common.csv_export import csv_line
from imports.services import FileReport
from imports.services.rows import Rejected

# What a workbook's rejected rows are written in: it has no encoding or delimiter of its own.
DEFAULT_ENCODING, DEFAULT_DELIMITER = "utf-8-sig", ","


def rejects_format(encoding: str, delimiter: str) -> tuple[str, str]:
    """The encoding and delimiter a rejects file is written in, for a source read with these."""
    return encoding or DEFAULT_ENCODING, delimiter or DEFAULT_DELIMITER


def content_type(encoding: str) -> str:
    charset = {"utf-8-sig": "utf-8", "cp1251": "windows-1251", "kz1048": "kz-1048"}
    return f"text/csv; charset={charset.get(encoding, encoding)}"


class RejectsCsv:
    """Writes rejected rows as they come (so a million-row file never sits in memory)."""

    def __init__(self, stream: BinaryIO, *, with_file_column: bool = False) -> None:
        self.stream = stream
        self.with_file_column = with_file_column
        self.rows = 0
        self._header: list[str] | None = None
        self._encoding: str | None = DEFAULT_ENCODING if with_file_column else None
        self._delimiter = DEFAULT_DELIMITER

    def _write(self, row: Sequence[object]) -> None:
        text = csv_line(row, delimiter=self._delimiter)
        # A code page lacks some letters of the reasons (Kazakh ones in Windows-1251).
        self.stream.write(text.encode(self._codec, errors="replace"))

    def __call__(self, report: FileReport, header: list[str], rejected: Rejected) -> None:
        if self._encoding is None:
            self._encoding, self._delimiter = rejects_format(report.encoding, report.delimiter)
        if self.rows == 0 and self._header is None:
            self._codec = "utf-8" if self._encoding == "utf-8-sig" else self._encoding
            if self._encoding == "utf-8-sig":
                self.stream.write(codecs.BOM_UTF8)
        lead = [report.name] if self.with_file_column else []
        if header != self._header:
            names = [_("File")] if self.with_file_column else []
            self._write([*names, _("Line"), _("Reason"), *header])
            self._header = header
        self._write([*lead, rejected.line, rejected.reason, *rejected.cells])
        self.rows += 1


def rejects_file(
    *,
    stream: BinaryIO,
    encoding: str,
    delimiter: str,
    header: list[str],
    rows: Iterable[tuple[int, str, Sequence[str]]],
) -> int:
    """The rejects file of a recorded import, from its kept rows; returns the rows written."""
    writer = RejectsCsv(stream)
    report = FileReport(
        name="", sha256="", list_kind="", encoding=encoding, delimiter=delimiter, mapped=[],
        ignored=(),
    )  # fmt: skip
    for line, reason, cells in rows:
        writer(report, header, Rejected(line, (reason,), tuple(cells)))
    return writer.rows

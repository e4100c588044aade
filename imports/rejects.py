"""The rejected rows of an import as CSV: each with its line and reason, then its own cells.

With one file, the columns are the file's own, plus "Line" and "Reason" in front: correct the
cells and import the same file again (the two extra columns are ignored). Cells are escaped
against spreadsheet formulas, and card numbers were blotted out when the row was rejected.
"""

from typing import TextIO

from django.utils.translation import gettext as _

from common.csv_export import BOM, csv_line
from imports.services import FileReport
from imports.services.rows import Rejected


class RejectsCsv:
    """Writes rejected rows as they come (so a million-row file never sits in memory)."""

    def __init__(self, stream: TextIO, *, with_file_column: bool = False) -> None:
        self.stream = stream
        self.with_file_column = with_file_column
        self.rows = 0
        self._header: list[str] | None = None
        stream.write(BOM)

    def __call__(self, report: FileReport, header: list[str], rejected: Rejected) -> None:
        lead = [report.name] if self.with_file_column else []
        if header != self._header:
            names = [_("File")] if self.with_file_column else []
            self.stream.write(csv_line([*names, _("Line"), _("Reason"), *header]))
            self._header = header
        self.stream.write(csv_line([*lead, rejected.line, rejected.reason, *rejected.cells]))
        self.rows += 1

"""The list of affected subjects attached to the notice: FIO, IIN, mobile phone, and nothing else.

Streamed: CSV line by line from a server-side cursor, XLSX through openpyxl's write-only mode
into a temporary file; memory stays flat whatever the list's size. Every text cell is escaped
against formula injection (`common.csv_export`), so a name such as "=HYPERLINK(...)" stays text.
"""

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from common.csv_export import BOM, csv_line, escape_cell
from incidents.models import Incident
from incidents.selectors import affected_list_rows


def list_header(language: str) -> list[str]:
    """The column names of the rules, in the notice's language."""
    with translation.override(language):
        return [
            _("Last name, first name, patronymic (if any)"),
            _("IIN"),
            _("Mobile phone number"),
        ]


# Lines per piece of the streamed response: few enough to keep memory flat, many enough that
# the writer's overhead is not paid per line.
CSV_PIECE_ROWS = 1000


def affected_csv_lines(incident: Incident, *, language: str) -> Iterator[str]:
    """The list as CSV for Excel (UTF-8 with BOM), in pieces of up to 1,000 lines."""
    yield BOM + csv_line(list_header(language))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    pending = 0
    for row in affected_list_rows(incident):
        writer.writerow([escape_cell(cell) for cell in row])
        pending += 1
        if pending == CSV_PIECE_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()


def affected_xlsx(incident: Incident, *, language: str) -> IO[bytes]:
    """The list as an XLSX workbook in a temporary file (deleted when closed), rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"incident-{incident.pk}")
    sheet.append([escape_cell(cell) for cell in list_header(language)])
    for row in affected_list_rows(incident):
        sheet.append([escape_cell(cell) for cell in row])
    target = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(target)
    target.seek(0)
    return target

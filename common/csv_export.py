"""CSV that Excel opens correctly and cannot be tricked into running formulas from."""

import csv
import io
import re
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, TextIO

# OWASP CSV injection: a cell starting with one of these is read as a formula by spreadsheets.
# The full-width forms are included because some spreadsheet locales fold them to ASCII.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


_TRIGGER_FIRST = frozenset(FORMULA_TRIGGERS)


def escape_cell(value: Any) -> Any:
    """Prefix a formula-looking text cell with an apostrophe; numbers and dates stay as they are.

    Text is escaped when it starts with a trigger, also after leading whitespace (spaces or a
    line break before "=1+1" still make a formula in Excel), and when it starts with a tab or
    carriage return.
    A phone in E.164 ("+7701...") is text, so it is escaped too: the sheet shows it as typed.
    """
    # Only the first character is looked at, unless it is whitespace (exports escape millions).
    if isinstance(value, str) and value:
        first = value[0]
        if first in _TRIGGER_FIRST or (first.isspace() and value.lstrip()[:1] in _TRIGGER_FIRST):
            return "'" + value
    return value


BOM = "\ufeff"  # first in every CSV made here: without it Excel does not read UTF-8


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a UTF-8-with-BOM CSV (the BOM makes Excel read UTF-8); returns the rows written."""
    stream.write(BOM)
    writer = csv.writer(stream)
    writer.writerow([escape_cell(str(name)) for name in header])
    count = 0
    for row in rows:
        writer.writerow([escape_cell(cell) for cell in row])
        count += 1
    return count


def csv_lines(rows: Iterable[Sequence[Any]], *, delimiter: str = ",") -> str:
    """Escaped CSV lines, for streaming responses that build the file a batch at a time."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(
        [escape_cell(cell) for cell in row] for row in rows
    )
    return buffer.getvalue()


def csv_line(row: Sequence[Any], *, delimiter: str = ",") -> str:
    """One escaped CSV line, for streaming responses that build the file line by line."""
    return csv_lines([row], delimiter=delimiter)


@lru_cache(maxsize=1)
def _needs_care() -> "re.Pattern[str]":
    """Matches, in cells each preceded by chr(1), a cell that the csv module would quote (a
    delimiter, a quote or a line break in it) or that escape_cell might escape (it starts with
    a trigger or with any character Python counts as whitespace)."""
    spaces = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    return re.compile('[,"\r\n]|\x01[' + re.escape(spaces + "".join(FORMULA_TRIGGERS)) + "]")


def csv_text_lines(rows: Sequence[Sequence[str]]) -> str:
    """csv_lines for rows of text cells, the same text, faster: cells that need neither quoting
    nor escaping (nearly all: one search of the whole batch tells) are joined by commas, which
    is what the csv module writes for them; only a row with a cell that needs care goes
    through csv_lines (an export of a million rows)."""
    needs_care = _needs_care().search
    if needs_care("\x01" + "\x01".join(["\x01".join(row) for row in rows])) is None:
        return "".join([",".join(row) + "\r\n" for row in rows])
    return "".join(
        [
            csv_lines([row]) if needs_care("\x01" + "\x01".join(row)) else ",".join(row) + "\r\n"
            for row in rows
        ]
    )

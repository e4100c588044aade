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
def _careful_starts() -> tuple[frozenset[str], "re.Pattern[str]", "re.Pattern[str]"]:
    """The first characters that escape_cell may escape (a formula trigger, or any character
    Python counts as whitespace), and searches for a cell starting with one after a comma or a
    line's end in comma-joined lines: two searches with a literal first character, which the
    re module scans for several times faster than for either of two. Built once: the set lists
    every Unicode whitespace character."""
    spaces = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    starts = spaces + "".join(FORMULA_TRIGGERS)
    any_of = "[" + re.escape(starts) + "]"
    return frozenset(starts), re.compile("," + any_of), re.compile("\n" + any_of)


def _no_careful_start(text: str) -> bool:
    starts, after_comma, after_line = _careful_starts()
    return (
        text[:1] not in starts
        and after_comma.search(text) is None
        and after_line.search(text) is None
    )


def csv_text_lines(rows: Sequence[Sequence[str]]) -> str:
    """csv_lines for rows of text cells (str only), the same text, faster (an export of a
    million rows): the rows are joined by commas, which is what the csv module writes for cells
    that need neither quoting nor escaping, and a few counts and two searches over the whole batch
    tell that none did. Otherwise each row that needs care goes through csv_lines."""
    text = "".join([",".join(row) + "\r\n" for row in rows])
    if (
        text.count(",") == sum(len(row) - 1 for row in rows)
        and text.count("\n") == len(rows)
        and text.count("\r") == len(rows)
        and '"' not in text
        and _no_careful_start(text)
    ):
        return text
    return "".join([csv_text_lines([row]) if len(rows) > 1 else csv_lines(rows) for row in rows])

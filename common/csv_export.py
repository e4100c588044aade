"""CSV that Excel opens correctly and cannot be tricked into running formulas from."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

# OWASP CSV injection: a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Prefix a formula-looking text cell with an apostrophe; numbers stay numbers.

    Leading spaces are looked through ("  =1+1" is still a formula to Excel).
    """
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a UTF-8-with-BOM CSV (the BOM makes Excel read UTF-8); returns the rows written."""
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow([escape_cell(str(name)) for name in header])
    count = 0
    for row in rows:
        writer.writerow([escape_cell(cell) for cell in row])
        count += 1
    return count


def csv_line(row: Sequence[Any]) -> str:
    """One escaped CSV line, for streaming responses that build the file line by line."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([escape_cell(cell) for cell in row])
    return buffer.getvalue()

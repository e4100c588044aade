"""Reading old mailing lists: bytes in, (physical line number, cells) out.

Lists come from Excel in Almaty (Windows-1251 or KZ-1048, semicolons), from Excel with
"CSV UTF-8" (a BOM), from Mailchimp (UTF-8, commas) and occasionally as XLSX. The encoding and
the delimiter are detected, never assumed; whatever cannot be read is a `FileUnreadable` with a
message for the person who brought the file, and nothing of it is imported.
"""

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import BinaryIO

from django.utils.translation import gettext as _

ENCODINGS = ("utf-8", "cp1251", "kz1048")
SAMPLE_BYTES = 256 * 1024

# The letters of Russian and Kazakh: what a plausible decoding of a Kazakh list is made of.
_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_KK_EXTRA = "әғқңөұүһі"
_GOOD_LETTERS = frozenset(_RU + _RU.upper() + _KK_EXTRA + _KK_EXTRA.upper())
# Cyrillic letters of neither language (Serbian, Macedonian, Ukrainian...): where cp1251 puts
# the bytes that KZ-1048 uses for Kazakh letters, and where UTF-8 read as cp1251 lands.
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _decoded(first: int, last: int) -> str:
    """What the bytes first..last become in either code page (undefined bytes left out)."""
    raw = bytes(range(first, last + 1))
    return "".join(sorted(set(raw.decode("cp1251", "ignore") + raw.decode("kz1048", "ignore"))))


# UTF-8 Cyrillic read as a single-byte code page: а-п and А-Я begin with byte 0xD0 ("Р") and a
# byte 0x90-0xBF; р-я with 0xD1 ("С") and a byte 0x80-0x8F. Real text rarely has those pairs.
_MOJIBAKE = re.compile(f"Р[{re.escape(_decoded(0x90, 0xBF))}]|С[{re.escape(_decoded(0x80, 0x8F))}]")
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f]")


class FileUnreadable(Exception):
    """The file as a whole cannot be read: nothing of it is imported."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A readable file: its header, and its records as (first physical line, cells)."""

    kind: str  # "csv" or "xlsx"
    encoding: str  # what was used: "utf-8-sig", "utf-8", "cp1251", "kz1048" ("" for xlsx)
    delimiter: str
    header: list[str]
    header_line: int
    records: Iterator[tuple[int, list[str]]] = field(repr=False)


def file_sha256(stream: BinaryIO) -> str:
    """SHA-256 of the whole stream, read in chunks; the stream is left at its start."""
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def plausibility(text: str) -> int:
    """How much `text` looks like Kazakh or Russian: good letters minus odd Cyrillic, weighted."""
    good = odd = 0
    for char in _CYRILLIC.findall(text):
        if char in _GOOD_LETTERS:
            good += 1
        else:
            odd += 1
    return good - 5 * odd - 10 * len(_MOJIBAKE.findall(text))


def _looks_garbled(text: str) -> bool:
    """UTF-8 read as a single-byte code page leaves pairs like "Р°", "Сѓ" all over the text."""
    pairs = len(_MOJIBAKE.findall(text))
    return pairs >= 3 and pairs * 4 >= len(_CYRILLIC.findall(text))


def _decode_sample(sample: bytes, encoding: str) -> str | None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        # final=False: a multi-byte character cut by the end of the sample is not an error.
        return decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return None


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8; else the likelier code page.

    Windows-1251 and KZ-1048 differ only where KZ-1048 has Kazakh letters (Ә, Ғ, Қ, Ң, Ө, Ұ,
    Ү, Һ); cp1251 puts Serbian and Ukrainian letters there, which Kazakh lists do not contain.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if _decode_sample(sample, "utf-8") is not None:
        return "utf-8"
    scored = []
    for encoding in ("cp1251", "kz1048"):
        text = _decode_sample(sample, encoding)
        if text is not None:
            scored.append((plausibility(text), encoding == "cp1251", encoding))
    if not scored:
        raise FileUnreadable(
            _("The file is in none of the encodings UTF-8, Windows-1251 or KZ-1048.")
        )
    return max(scored)[2]


def _check_text(sample: bytes) -> None:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileUnreadable(
            _(
                "The file is saved as UTF-16 (Excel's “Unicode text”). Save it as "
                "“CSV UTF-8 (comma delimited)” and upload it again."
            )
        )
    if not sample.strip():
        raise FileUnreadable(_("The file is empty."))
    if b"\x00" in sample or len(_BINARY.findall(sample)) * 100 > len(sample):
        raise FileUnreadable(
            _("This is not a text (CSV) file: it holds binary data. Upload a CSV or XLSX file.")
        )


def _delimiter(first_line: str) -> str:
    """Comma or semicolon, whichever splits the header line (outside quotes) more often."""
    counts = {",": 0, ";": 0}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def _csv_records(
    text: io.TextIOBase, delimiter: str, encoding: str
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(text, delimiter=delimiter)
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise FileUnreadable(
                _("Line %(line)s is not valid %(encoding)s: choose the file's encoding.")
                % {"line": reader.line_num + 1, "encoding": encoding}
            ) from None
        except csv.Error as error:
            raise FileUnreadable(
                _("Line %(line)s cannot be read as CSV (%(error)s): look for a quote never closed.")
                % {"line": last + 1, "error": error}
            ) from None
        start, last = last + 1, reader.line_num
        if cells and any(cell.strip() for cell in cells):
            yield start, cells


def open_csv(stream: BinaryIO, *, encoding: str = "auto") -> Table:
    """Detect encoding and delimiter, then read lazily: the file is never held whole."""
    stream.seek(0)
    sample = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    _check_text(sample)
    if encoding == "auto":
        encoding = detect_encoding(sample)
    elif encoding == "utf-8" and sample.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    decoded = _decode_sample(sample, encoding)
    label = "UTF-8" if encoding.startswith("utf-8") else encoding
    if decoded is None:
        raise FileUnreadable(
            _("The file cannot be read as %(encoding)s: choose another encoding or “auto”.")
            % {"encoding": label}
        )
    if _looks_garbled(decoded):
        raise FileUnreadable(
            _(
                "Read as %(encoding)s, the letters come out garbled (“%(example)s”): the file is "
                "in another encoding. Choose “auto” or the right one."
            )
            % {"encoding": label, "example": _MOJIBAKE.search(decoded).group()}  # type: ignore[union-attr]
        )
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    lines = decoded.lstrip("\ufeff").splitlines()
    first = next((line for line in lines if line.strip()), "")  # the header's line
    # Excel's "sep=;" first line names the delimiter; it is not the header.
    sep_line = re.fullmatch(r"\s*sep=([,;])\s*", first)
    delimiter = sep_line.group(1) if sep_line else _delimiter(first)
    records = _csv_records(text, delimiter, label)
    if sep_line:
        _first_record(records)
    header_line, header = _first_record(records)
    header = [cell.lstrip("\ufeff") for cell in header]
    return Table("csv", encoding, delimiter, header, header_line, records)


def _first_record(records: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    for line, cells in records:
        return line, cells
    raise FileUnreadable(_("The file is empty."))


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone typed as a number keeps all its digits in XLSX
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def open_xlsx(stream: BinaryIO) -> Table:
    """The first sheet of a workbook, read row by row (openpyxl's read-only mode)."""
    from openpyxl import load_workbook

    stream.seek(0)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileUnreadable(
            _("The file cannot be read as an Excel workbook (%(error)s).") % {"error": error}
        ) from None
    sheet = workbook.worksheets[0]

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_xlsx_cell(value) for value in values]
                if any(cell.strip() for cell in cells):
                    yield number, cells
        finally:
            workbook.close()

    records = rows()
    header_line, header = _first_record(records)
    return Table("xlsx", "", "", [str(cell) for cell in header], header_line, records)


def open_table(stream: BinaryIO, *, encoding: str = "auto") -> Table:
    """A CSV or XLSX file (told apart by its first bytes, not its name)."""
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    if magic == b"PK\x03\x04":
        return open_xlsx(stream)
    return open_csv(stream, encoding=encoding)

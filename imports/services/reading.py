"""Reading old mailing lists: bytes in, (physical line number, cells) out.

Lists come from Excel in Almaty (Windows-1251 or KZ-1048, semicolons), from Excel with
"CSV UTF-8" (a BOM), from Mailchimp (UTF-8, commas) and occasionally as XLSX. The encoding and
the delimiter are detected, never assumed; whatever cannot be read is a `FileUnreadable` with a
message for the person who brought the file, and nothing of it is imported.
"""

import codecs
import contextlib
import csv
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from typing import BinaryIO

from django.utils.translation import gettext as _

from common.errors import DomainError

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


class FileUnreadable(DomainError):
    """The file as a whole cannot be read: nothing of it is imported."""

    default_code = "unreadable"


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
        # Where each reading breaks: the latest is where the file changes its encoding.
        line = max(
            bad_byte_line(io.BytesIO(sample), encoding) or 0
            for encoding in ("utf-8", "cp1251", "kz1048")
        )
        raise FileUnreadable(
            _(
                "The file is in none of the encodings UTF-8, Windows-1251 or KZ-1048: it "
                "changes its encoding at line %(line)s. Save the whole list in one encoding."
            )
            % {"line": line or "?"}
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


def bad_byte_line(stream: BinaryIO, encoding: str) -> int | None:
    """The physical line (1-based) of the first byte that `encoding` cannot decode.

    The text reader decodes the file ahead of the CSV parser, in blocks, so the parser's line
    is not where the bad byte is: the raw bytes are read again to find it.
    """
    position = stream.tell()
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = lines = 0
    try:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=False)
            except UnicodeDecodeError as error:
                start = max(error.start - pending, 0)
                return lines + chunk[:start].count(b"\n") + 1
            offset += len(chunk)
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return lines + 1
        return None
    finally:
        stream.seek(position)


def _csv_records(
    text: io.TextIOWrapper, delimiter: str, encoding: str
) -> Iterator[tuple[int, list[str]]]:
    try:
        rows = _csv_rows(text, delimiter, encoding)
        if encoding.startswith(("cp", "kz")):
            rows = _same_encoding(rows, encoding)
        yield from rows
    except UnicodeDecodeError:
        codec = "utf-8-sig" if encoding == "UTF-8" else encoding
        line = bad_byte_line(text.buffer, codec)  # type: ignore[arg-type]
        raise FileUnreadable(
            _(
                "Line %(line)s is not valid %(encoding)s: the file changes its encoding there, "
                "or is in another one. Save the whole list in one encoding (or choose it)."
            )
            % {"line": line or "?", "encoding": encoding}
        ) from None
    finally:
        # The stream is read again (a second pass, the rejected rows' file): the wrapper
        # must not close it when it goes.
        with contextlib.suppress(ValueError):
            text.detach()


def _csv_rows(
    text: io.TextIOBase, delimiter: str, encoding: str
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(text, delimiter=delimiter)
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileUnreadable(
                _("Line %(line)s cannot be read as CSV (%(error)s): look for a quote never closed.")
                % {"line": last + 1, "error": error}
            ) from None
        start, last = last + 1, reader.line_num
        if cells and any(cell.strip() for cell in cells):
            yield start, cells


def _same_encoding(
    rows: Iterator[tuple[int, list[str]]], encoding: str
) -> Iterator[tuple[int, list[str]]]:
    """Rows of a single-byte file, refused from the first one written in UTF-8: read as
    Windows-1251, UTF-8 Cyrillic becomes pairs like "Р°", "Сѓ" (a file whose start was
    saved in one encoding and its end appended in another)."""
    search = _MOJIBAKE.findall
    for line, cells in rows:
        for cell in cells:
            if len(search(cell)) >= 2:
                raise FileUnreadable(
                    _(
                        "From line %(line)s the file is written in UTF-8, while its beginning "
                        "is in %(encoding)s (“%(example)s” is what its letters become): save "
                        "the whole list in one encoding."
                    )
                    % {"line": line, "encoding": encoding, "example": search(cell)[0]}
                )
        yield line, cells


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


# Limits checked before a workbook is parsed, the same for the admin and the command: an XLSX
# is a zip of XML, and a few hundred kilobytes can unpack into gigabytes or millions of
# shared strings that openpyxl would hold in memory all at once.
XLSX_MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
XLSX_MAX_RATIO = 150  # uncompressed / compressed, for a member larger than:
XLSX_RATIO_FLOOR_BYTES = 16 * 1024 * 1024
XLSX_MAX_MEMBERS = 10_000
XLSX_MAX_SHARED_STRINGS = 2_000_000
XLSX_MAX_CELLS = 30_000_000
XLSX_MAX_COLUMNS = 1_000


def _xlsx_refused(reason: str) -> FileUnreadable:
    return FileUnreadable(
        _("The Excel workbook is refused before it is read: %(reason)s.") % {"reason": reason}
    )


def _check_xlsx_archive(stream: BinaryIO) -> None:
    """Sizes, compression ratios and the number of shared strings, from the zip itself."""
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
        members = archive.infolist()
        if len(members) > XLSX_MAX_MEMBERS:
            raise _xlsx_refused(_("it holds more than %(n)s parts") % {"n": XLSX_MAX_MEMBERS})
        total = sum(member.file_size for member in members)
        if total > XLSX_MAX_UNCOMPRESSED_BYTES:
            raise _xlsx_refused(
                _("it unpacks to more than %(n)s MB") % {"n": XLSX_MAX_UNCOMPRESSED_BYTES // 2**20}
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > XLSX_RATIO_FLOOR_BYTES and ratio > XLSX_MAX_RATIO:
                raise _xlsx_refused(
                    _("its part %(part)s unpacks %(ratio)s times its size (a zip bomb)")
                    % {"part": member.filename, "ratio": int(ratio)}
                )
        # Every part is scanned (whatever the workbook's relations call its shared strings),
        # within the size checked above: shared strings counted, DTDs and entities refused.
        count = 0
        for member in members:
            tail = b""
            with archive.open(member) as part:
                for chunk in iter(partial(part.read, 1024 * 1024), b""):
                    block = tail + chunk
                    if b"<!DOCTYPE" in block or b"<!ENTITY" in block:
                        raise _xlsx_refused(_ENTITIES_REASON())
                    # The tail keeps 3 bytes, one short of the shortest marker: a marker cut
                    # by the chunk's end is counted once.
                    count += block.count(b"<si>") + block.count(b"<si ")
                    count += block.count(b":si>") + block.count(b":si ")
                    tail = block[-8:]
                    if count > XLSX_MAX_SHARED_STRINGS:
                        raise _xlsx_refused(
                            _("it has more than %(n)s different texts (shared strings)")
                            % {"n": f"{XLSX_MAX_SHARED_STRINGS:,}"}
                        )
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as error:
        raise FileUnreadable(
            _("The file cannot be read as an Excel workbook (%(error)s).") % {"error": error}
        ) from None
    finally:
        stream.seek(0)


# What a broken or hostile workbook raises while openpyxl reads it: a corrupt zip stream,
# malformed XML, an entity or a DTD that defusedxml forbids, a date beyond Python's range.
_XLSX_ERRORS = (
    zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError, TypeError,
    OverflowError, IndexError, AttributeError, SyntaxError,
)  # fmt: skip


def _ENTITIES_REASON() -> str:
    return _("it declares XML entities or a DTD, which a spreadsheet never needs")


def _xlsx_error(error: BaseException) -> FileUnreadable:
    cause: BaseException | None = error
    while cause is not None:  # openpyxl wraps what the XML parser raised
        if type(cause).__module__.startswith("defusedxml"):
            return _xlsx_refused(_ENTITIES_REASON())
        cause = cause.__cause__ or cause.__context__
    return FileUnreadable(
        _("The file cannot be read as an Excel workbook (%(error)s).")
        % {"error": str(error)[:200] or type(error).__name__}
    )


def open_xlsx(stream: BinaryIO) -> Table:
    """The first sheet of a workbook, read row by row (openpyxl's read-only mode).

    The archive is checked before parsing (`_check_xlsx_archive`); defusedxml, which
    openpyxl uses when it is installed, refuses entity declarations and external references.
    The rows read are the rows the sheet holds, not what its <dimension> claims.
    """
    from openpyxl import load_workbook

    _check_xlsx_archive(stream)
    stream.seek(0)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # Read-only mode trusts the sheet's <dimension ref>, which some writers leave stale
        # (openpyxl's documentation: "Worksheet dimensions" in read-only mode).
        sheet.reset_dimensions()
    except _XLSX_ERRORS as error:
        raise _xlsx_error(error) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        cells_read = 0
        width = 0
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if len(values) > XLSX_MAX_COLUMNS:
                    raise _xlsx_refused(
                        _("row %(row)s has more than %(n)s columns")
                        % {"row": number, "n": XLSX_MAX_COLUMNS}
                    )
                cells_read += len(values)
                if cells_read > XLSX_MAX_CELLS:
                    raise _xlsx_refused(
                        _("it has more than %(n)s cells") % {"n": f"{XLSX_MAX_CELLS:,}"}
                    )
                cells = [_xlsx_cell(value) for value in values]
                if any(cell.strip() for cell in cells):
                    width = width or len(cells)
                    # A row's empty cells at its end are not written in the sheet.
                    yield number, cells + [""] * (width - len(cells))
        except _XLSX_ERRORS as error:
            raise _xlsx_error(error) from None
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

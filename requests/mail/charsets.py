"""Bytes of a letter into text, as real mailers label (or fail to label) their charsets.

Mailers in Kazakhstan still send raw 8-bit headers (no RFC 2047) in windows-1251, KOI8-R or
KZ-1048, bodies without a charset label, bodies labelled Latin-1 that are Cyrillic, and HTML
whose only label is its `<meta charset>`. The declared charset is trusted when the bytes agree
with it; where the label is missing or provably wrong, UTF-8 is tried first (it rarely decodes by
accident), then the Cyrillic single-byte charsets are scored on what Russian and Kazakh text looks
like, and charset-normalizer's best guess competes with them. The raw bytes are always kept.
"""

import codecs
import re

from charset_normalizer import from_bytes

_CYRILLIC_SINGLE_BYTE = ("cp1251", "koi8-r", "kz1048")
# Charsets whose label on Cyrillic bytes is a mistake, not a choice: every byte decodes, to
# Latin letters with accents that no Kazakh or Russian letter is written with.
_LATIN_SINGLE_BYTE = {codecs.lookup(name).name for name in ("iso-8859-1", "iso-8859-15", "cp1252")}
_RUSSIAN = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_KAZAKH = set("әғқңөұүһі")
# Letters of other Cyrillic alphabets that a wrong single-byte guess produces (KZ-1048's Kazakh
# letters read as windows-1251 come out as these), and KOI8-R's box-drawing characters.
_UNLIKELY = set("ђѓєѕјљњћќўџґЂЃЄЅЈЉЊЋЌЎЏҐ") | {chr(c) for c in range(0x2500, 0x25A0)}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)


def _known(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None


def _score(text: str) -> float:
    """How much `text` looks like what people here write: higher is likelier."""
    score = 0.0
    for char in text:
        lower = char.lower()
        if lower in _RUSSIAN or lower in _KAZAKH:
            # Text is mostly lower case; KOI8-R read as windows-1251 is mostly upper case.
            score += 1.0 if char == lower else 0.3
            score += 0.5 if lower in _KAZAKH else 0
        elif char in _UNLIKELY:
            score -= 3.0
        elif char.isascii():
            score += 0.2 if char.isprintable() or char in "\r\n\t" else -2.0
        elif not char.isprintable():
            score -= 2.0
    return score


def _detected(data: bytes) -> str | None:
    best = from_bytes(data[:20000]).best()
    return _known(best.encoding) if best is not None else None


def guess_decode(data: bytes) -> tuple[str, str]:
    """(text, charset) of bytes that carry no trustworthy label."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = list(_CYRILLIC_SINGLE_BYTE)
    detected = _detected(data) if len(data) > 32 else None
    if detected and detected not in candidates:
        candidates.append(detected)
    decoded = []
    for charset in candidates:
        try:
            decoded.append((data.decode(charset), charset))
        except UnicodeDecodeError:
            continue
    if not decoded:
        return data.decode("utf-8", "replace"), "utf-8"
    return max(decoded, key=lambda pair: _score(pair[0]))


def _provably_wrong(data: bytes, charset: str, text: str) -> bool:
    """A label the bytes contradict: 8-bit bytes under ASCII, Cyrillic under Latin-1."""
    if charset == "ascii" or charset in _LATIN_SINGLE_BYTE:
        high = sum(byte >= 0x80 for byte in data)
        if charset == "ascii":
            return high > 0
        letters = sum(char.isalpha() for char in text) or 1
        # Latin-1 text has a few accented letters; Cyrillic read as Latin-1 has little else.
        return high / letters > 0.3
    return False


def decode_text(data: bytes, declared: str | None, *, html: bool = False) -> tuple[str, str]:
    """(text, charset used) of a text part's bytes, given the charset its headers declare."""
    charset = _known(declared)
    if charset is None and html:
        meta = _META_CHARSET.search(data[:4096])
        charset = _known(meta.group(1).decode("ascii")) if meta else None
    if charset is not None:
        try:
            text = data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if not _provably_wrong(data, charset, text):
                return text, charset
    return guess_decode(data)


def decode_header_bytes(data: bytes) -> str:
    """A raw 8-bit header (no RFC 2047): UTF-8 (RFC 6532) or a guessed Cyrillic charset."""
    return guess_decode(data)[0]


def repair_mojibake(text: str) -> str:
    """Cyrillic that a wrong Latin-1 label turned into "Ïðîøó": decoded again from its bytes.

    RFC 2047 words labelled ISO-8859-1 or windows-1252 over windows-1251 bytes are a classic of
    older mailers. Only text whose letters are mostly Latin-1's accented ones is touched: a
    name like "José Núñez" stays as it is.
    """
    letters = [char for char in text if char.isalpha()]
    accented = sum("\u00c0" <= char <= "\u00ff" for char in letters)
    if not letters or accented / len(letters) <= 0.5:
        return text
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        try:
            data = text.encode("latin-1")
        except UnicodeEncodeError:
            return text
    repaired, _charset = guess_decode(data)
    return repaired if _score(repaired) > _score(text) else text

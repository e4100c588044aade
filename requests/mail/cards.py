"""Masking payment card numbers in letters the operator must keep but may not hold card data in.

A subject may write their card number into a letter; the request can't be refused for that, and
the operator's policy says it does not process card data. So every number that looks like a card
(13-19 digits, any of the separators `common.validators.CARD_SEPARATOR` names between groups,
passing Luhn: the same test as `common.validators.contains_card_number`) keeps only its last
four digits.
"""

import re

from common.validators import CARD_SEPARATOR, card_number_spans

MASK = "*"

# In HTML source the spaces between groups are often entities.
_HTML_SEPARATOR = (
    rf"(?:{CARD_SEPARATOR}|&nbsp;|&#160;|&#x0*a0;|&thinsp;|&#8201;|&#x2009;|&#8239;|&#x202f;"
    r"|&ensp;|&emsp;|&ndash;|&#8211;|&#x2013;)"
)
# Raw bytes of a message that could not be parsed, read as Latin-1 (one character per byte):
# the separators as they are encoded in UTF-8, in single-byte charsets and in quoted-printable.
_BYTES_SEPARATOR = (
    r"(?:[ \t\xa0./_-]|\xc2\xa0|\xe2\x80[\x80-\x8b\x90-\x95\xaf]|\xe2\x81\x9f|\xe2\x88\x92"
    r"|\xe3\x80\x80|=C2=A0|=E2=80=(?:8[0-9AB]|9[0-5]|AF)|=A0|=20|=09)"
)


def _masked(number: str, separator: str) -> str:
    """The number with all digits but the last four masked; its separators stay as they are."""
    tokens = [match.group() for match in re.finditer(rf"\d+|{separator}", number)]
    keep = sum(len(token) for token in tokens if token[0].isdigit()) - 4
    out, seen = [], 0
    for token in tokens:
        if not token[0].isdigit():
            out.append(token)
            continue
        for char in token:
            out.append(MASK if seen < keep else char)
            seen += 1
    return "".join(out)


def _mask(text: str, separator: str) -> tuple[str, int]:
    spans = card_number_spans(text, separator=separator)
    if not spans:
        return text, 0
    out, position = [], 0
    for start, end in spans:
        out += [text[position:start], _masked(text[start:end], separator)]
        position = end
    out.append(text[position:])
    return "".join(out), len(spans)


def mask_card_numbers(text: str) -> tuple[str, int]:
    """`text` with each card number masked but its last four digits, and how many were masked."""
    return _mask(text or "", CARD_SEPARATOR)


def mask_card_numbers_in_html(html: str) -> tuple[str, int]:
    """The same over HTML source, where groups may be parted by `&nbsp;` and other entities."""
    return _mask(html or "", _HTML_SEPARATOR)


def mask_card_numbers_in_bytes(data: bytes) -> tuple[bytes, int]:
    """The same over raw bytes (ASCII digits), for a message that could not be parsed."""
    text, count = _mask(data.decode("latin-1"), _BYTES_SEPARATOR)
    return (text.encode("latin-1"), count) if count else (data, 0)

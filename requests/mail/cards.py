"""Masking payment card numbers in letters the operator must keep but may not hold card data in.

A subject may write their card number into a letter; the request can't be refused for that, and
the operator's policy says it does not process card data. So every number that looks like a card
(13-19 digits, spaces or dashes between, passing Luhn: the same test as
`common.validators.contains_card_number`) keeps only its last four digits.
"""

import re

from common.validators import luhn_ok

MASK = "*"
_CANDIDATE = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_CANDIDATE_BYTES = re.compile(rb"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")


def _masked(number: str) -> str | None:
    digits = re.sub(r"[ -]", "", number)
    if not (13 <= len(digits) <= 19 and luhn_ok(digits)):
        return None
    keep = len(digits) - 4
    out, seen = [], 0
    for char in number:
        if char.isdigit():
            out.append(MASK if seen < keep else char)
            seen += 1
        else:
            out.append(char)
    return "".join(out)


def mask_card_numbers(text: str) -> tuple[str, int]:
    """`text` with each card number masked but its last four digits, and how many were masked."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        masked = _masked(match.group())
        if masked is None:
            return match.group()
        count += 1
        return masked

    return _CANDIDATE.sub(replace, text or ""), count


def mask_card_numbers_in_bytes(data: bytes) -> tuple[bytes, int]:
    """The same over raw bytes (ASCII digits), for a message that could not be parsed."""
    count = 0

    def replace(match: re.Match[bytes]) -> bytes:
        nonlocal count
        masked = _masked(match.group().decode("ascii"))
        if masked is None:
            return match.group()
        count += 1
        return masked.encode("ascii")

    return _CANDIDATE_BYTES.sub(replace, data), count

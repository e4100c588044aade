"""Masking payment card numbers in letters the operator must keep but may not hold card data in.

A subject may write their card number into a letter; the request can't be refused for that, and
the operator's policy says it does not process card data. So every number that looks like a card
(13-19 digits, spaces or dashes between, passing Luhn: the same test as
`common.validators.contains_card_number`) keeps only its last four digits.
"""

import re

from common.validators import CARD_CANDIDATE, is_card_number

MASK = "*"
_CANDIDATE_BYTES = re.compile(CARD_CANDIDATE.pattern.encode())


def _masked(number: str) -> str | None:
    if not is_card_number(number):
        return None
    keep = sum(char.isdigit() for char in number) - 4
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

    return CARD_CANDIDATE.sub(replace, text or ""), count


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

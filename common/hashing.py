"""Keyed hashes and compact signed or sealed tokens: the cryptography the registers need besides
TLS and field encryption."""

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def keyed_digest(value: str, *, key: str) -> str:
    """HMAC-SHA256 of `value` as hex: equal inputs match, and without the key nothing is learnt."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


class BadToken(ValueError):
    """The token was not made with our key, or was cut or altered on the way."""


_MAC_BYTES = 9  # 72 bits: forging one token takes ~2**71 tries against a live server


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        low, number = number & 0x7F, number >> 7
        out.append(low | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _read_varints(data: bytes) -> list[int]:
    numbers, current, shift = [], 0, 0
    for byte in data:
        current |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            numbers.append(current)
            current, shift = 0, 0
        elif shift > 63:
            raise BadToken("number too long")
    if shift:
        raise BadToken("truncated number")
    return numbers


def _mac(payload: bytes, *, key: str, purpose: str) -> bytes:
    message = purpose.encode() + b"\0" + payload
    return hmac.new(key.encode(), message, hashlib.sha256).digest()[:_MAC_BYTES]


def sign_numbers(numbers: Sequence[int], *, key: str, purpose: str) -> str:
    """A short URL-safe token carrying non-negative integers, signed for one `purpose`.

    Django's signing.dumps makes 60+ character tokens; unsubscribe links must fit in 70
    characters whole, so this packs varints and a truncated HMAC into ~20 characters.
    """
    payload = b"".join(_varint(number) for number in numbers)
    token = base64.urlsafe_b64encode(payload + _mac(payload, key=key, purpose=purpose))
    return token.rstrip(b"=").decode()


def unsign_numbers(token: str, *, key: str, purpose: str) -> list[int]:
    """The integers in `token`; BadToken when it is malformed or its signature does not match."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,200}", token or ""):
        raise BadToken("not a token")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        raise BadToken("not base64") from None
    if len(raw) <= _MAC_BYTES:
        raise BadToken("too short")
    payload, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(payload, key=key, purpose=purpose)):
        raise BadToken("signature mismatch")
    return _read_varints(payload)


# --- sealed tokens: numbers nobody can read without the key ----------------------------------

_BLOCK = 16  # one AES block


@lru_cache(maxsize=8)
def _derived_key(key: str, purpose: str) -> bytes:
    """A 256-bit AES key of its own for each purpose, derived from the secret (HKDF, RFC 5869)."""
    info = f"sealed-numbers:{purpose}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key.encode())


def _block_cipher(*, key: str, purpose: str) -> Cipher[modes.ECB]:
    # ECB on exactly one block is the bare AES permutation: no pattern across blocks to leak.
    return Cipher(algorithms.AES(_derived_key(key, purpose)), modes.ECB())  # noqa: S305 (one block)


def seal_numbers(numbers: Sequence[int], *, widths: Sequence[int], key: str, purpose: str) -> str:
    """A 22-character URL-safe token hiding non-negative integers, readable only with the key.

    The numbers, packed big-endian in `widths` bytes each, fill one AES block; the bytes left
    over are zeros that `open_numbers` checks. AES is a keyed permutation of 16-byte blocks, so
    the token says nothing of the numbers (not even their size: it is always one block), and a
    forged or altered token opens to random bytes whose zeros hold with odds of 2**-(8*spare).
    """
    if len(numbers) != len(widths):
        raise ValueError("one number per width")
    return numbers_sealer(widths=widths, key=key, purpose=purpose)([numbers])[0]


def _check_widths(widths: Sequence[int]) -> None:
    if sum(widths) > _BLOCK - 6:
        raise ValueError("the numbers must leave at least six bytes of the block to check")


def numbers_sealer(
    *, widths: Sequence[int], key: str, purpose: str
) -> Callable[[Sequence[Sequence[int]]], list[str]]:
    """seal_numbers for many tuples with one key, a batch at a time: the cipher is set up once
    and each batch is one call into it (a mailing list seals a million links). ECB over the
    concatenated blocks seals each block on its own, exactly as one call per block would."""
    _check_widths(widths)
    encryptor = _block_cipher(key=key, purpose=purpose).encryptor()
    spare = b"\0" * (_BLOCK - sum(widths))

    shifts = [8 * sum(widths[at + 1 :]) for at in range(len(widths))]
    limits = [256**width for width in widths]
    used = sum(widths)

    def pack(numbers: Sequence[int]) -> bytes:
        if len(numbers) != len(widths):
            raise ValueError("one number per width")
        value = 0
        for number, shift, limit in zip(numbers, shifts, limits, strict=True):
            if not 0 <= number < limit:
                raise OverflowError(f"{number} does not fit its width")
            value |= number << shift
        return value.to_bytes(used, "big") + spare

    def seal(batch: Sequence[Sequence[int]]) -> list[str]:
        return _tokens(encryptor.update(b"".join([pack(numbers) for numbers in batch])))

    return seal


def first_number_sealer(
    *, widths: Sequence[int], rest: Sequence[int], key: str, purpose: str
) -> Callable[[Sequence[int]], list[str]]:
    """numbers_sealer for tuples that differ only in their first number: seals (n, *rest) for
    each n of a batch. The rest is packed once, so each token costs one to_bytes (a mailing
    list seals a million links of one purpose and one day)."""
    _check_widths(widths)
    first_width = widths[0]
    rest_widths = widths[1:]
    if len(rest) != len(rest_widths):
        raise ValueError("one number per width")
    packed_rest = b"".join(
        number.to_bytes(width, "big") for number, width in zip(rest, rest_widths, strict=True)
    )
    suffix = packed_rest + b"\0" * (_BLOCK - sum(widths))
    encryptor = _block_cipher(key=key, purpose=purpose).encryptor()

    def seal(firsts: Sequence[int]) -> list[str]:
        if firsts and (min(firsts) < 0 or max(firsts) >= 256**first_width):
            raise OverflowError("a number does not fit its width")
        packed = b"".join([first.to_bytes(first_width, "big") + suffix for first in firsts])
        return _tokens(encryptor.update(packed))

    return seal


_PADDED = 18  # a block and two zero bytes: 24 base64 letters, no "=" to strip


def _tokens(sealed: bytes) -> list[str]:
    """The URL-safe base64 of each block, without padding, by one encoding of all of them.

    Each block is followed by two zero bytes, so that it fills whole 3-byte groups of its own:
    its first 22 letters are then exactly its own encoding (the zeros only add "AA", where
    encoding the block alone would add "=="), and one call encodes the whole batch."""
    count = len(sealed) // _BLOCK
    padded = bytearray(_PADDED * count)
    for at in range(_BLOCK):  # 16 strided copies, whatever the batch's size
        padded[at::_PADDED] = sealed[at::_BLOCK]
    text = base64.urlsafe_b64encode(padded).decode()
    width = _PADDED * 4 // 3
    return [text[at : at + 22] for at in range(0, width * count, width)]


def open_numbers(token: str, *, widths: Sequence[int], key: str, purpose: str) -> list[int]:
    """The integers sealed in `token`; BadToken when it is not one of ours, or was altered."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{22}", token or ""):
        raise BadToken("not a sealed token")
    try:
        sealed = base64.urlsafe_b64decode(token + "==")
    except (ValueError, TypeError):
        raise BadToken("not base64") from None
    decryptor = _block_cipher(key=key, purpose=purpose).decryptor()
    block = decryptor.update(sealed) + decryptor.finalize()
    used = sum(widths)
    if block[used:] != b"\0" * (_BLOCK - used):
        raise BadToken("not sealed with this key")
    numbers, offset = [], 0
    for width in widths:
        numbers.append(int.from_bytes(block[offset : offset + width], "big"))
        offset += width
    return numbers

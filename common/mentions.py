"""Whether a stored text names a person: for what erasure must find though no subject is linked
(unreadable letters, rejected rows of an import, Tilda submissions not yet applied)."""

from collections.abc import Iterable

PHONE_DIGITS = 10  # a Kazakh number without its country code, however it was written
_NOT_DIGITS = bytes(b for b in range(256) if not ord("0") <= b <= ord("9"))


def digits_of(raw: bytes) -> bytes:
    return raw.translate(None, _NOT_DIGITS)


class Mentions:
    """A person's e-mail addresses (found in any case) and phone numbers (found by their last
    ten digits among all the digits of the text: "8 701 123-45-67" names +77011234567).

    Matched on bytes (UTF-8): a scan over thousands of stored rows stays in C.
    """

    def __init__(self, addresses: Iterable[str]) -> None:
        needles = {a.strip().lower() for a in addresses if a and a.strip()}
        self.emails = sorted(n for n in needles if "@" in n)
        phones = (digits_of(n.encode())[-PHONE_DIGITS:] for n in needles if "@" not in n)
        self.phones = sorted(p.decode() for p in phones if len(p) == PHONE_DIGITS)
        self._emails = [e.encode() for e in self.emails]
        self._phones = [p.encode() for p in self.phones]
        # bytes.lower() folds ASCII only: an address with other letters is compared as text.
        self._folded_as_text = any(not e.isascii() for e in self.emails)

    def __bool__(self) -> bool:
        return bool(self.emails or self.phones)

    def __call__(self, text: str) -> bool:
        return self.in_bytes(text.lower().encode("utf-8", "replace"))

    def in_bytes(self, raw: bytes) -> bool:
        """The same for UTF-8 bytes as stored (a form body once its %-escapes are undone)."""
        lowered = raw.lower()
        if any(e in lowered for e in self._emails):
            return True
        if self._folded_as_text:
            text = raw.decode("utf-8", "replace").lower()
            if any(e in text for e in self.emails):
                return True
        digits = digits_of(raw)
        return any(p in digits for p in self._phones)

"""Whether a stored text names a person: for what erasure must find though no subject is linked
(unreadable letters, rejected rows of an import, Tilda submissions not yet applied)."""

import re
from collections.abc import Iterable

PHONE_DIGITS = 10  # a Kazakh number without its country code, however it was written


class Mentions:
    """A person's e-mail addresses (found in any case) and phone numbers (found by their last
    ten digits among all the digits of the text: "8 701 123-45-67" names +77011234567)."""

    def __init__(self, addresses: Iterable[str]) -> None:
        needles = {a.strip().lower() for a in addresses if a and a.strip()}
        self.emails = sorted(n for n in needles if "@" in n)
        phones = (re.sub(r"\D", "", n)[-PHONE_DIGITS:] for n in needles if "@" not in n)
        self.phones = sorted(p for p in phones if len(p) == PHONE_DIGITS)

    def __bool__(self) -> bool:
        return bool(self.emails or self.phones)

    def __call__(self, text: str) -> bool:
        text = text.lower()
        if any(e in text for e in self.emails):
            return True
        digits = re.sub(r"\D", "", text)
        return any(p in digits for p in self.phones)

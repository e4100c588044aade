"""Reading a Tilda webhook body: form-encoded pairs, bounded, card numbers blotted out.

Tilda's documentation (help-ru.tilda.cc/formsscript, "Webhook"): POST, application/x-www-form-
urlencoded, the form's own field names plus `tranid` and `formid` (`formname`, `COOKIES`, UTM
fields when enabled); `test=test` once when the URL is saved; payment forms add `payment`, JSON.
Nothing here touches the database.
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.validators import CARD_CANDIDATE, is_card_number, luhn_ok

BLOT = "•"

# The same run of 13-19 digits as common.validators.CARD_CANDIDATE, as it looks form-encoded:
# a space is "+" or "%20", a dash "-" or "%2D". For bodies that can't be decoded.
_ENCODED_CARD = re.compile(rb"(?<![0-9])(?:[0-9](?:[ +-]|%20|%2[dD])?){12,18}[0-9](?![0-9])")

# What a `payment` field keeps: the order and what was in it; never how it was paid.
PAYMENT_KEYS = ("orderid", "amount", "currency", "products")
PRODUCT_KEYS = ("name", "sku", "quantity", "price", "amount")

# Fields that say where the visitor came from: kept as consent evidence.
REFERRER_FIELDS = ("referer", "referrer", "pageurl", "page", "tildaspec-referer")

TICKED = frozenset({"yes", "on", "true", "1", "да", "иә", "checked"})


class UnreadableBody(DomainError):
    """The body is not form-encoded UTF-8 within the limits; `code` says which rule it broke."""

    def __init__(self, code: str) -> None:
        super().__init__(_("The body is not a form submission Tilda sends."), code=code)


def blot_card_numbers(text: str) -> str:
    """Every digit of a card number (13-19 digits passing Luhn) becomes a blot; the rest stays."""

    def blot(match: re.Match[str]) -> str:
        found = match.group()
        return re.sub(r"\d", BLOT, found) if is_card_number(found) else found

    return CARD_CANDIDATE.sub(blot, text)


def blot_encoded_card_numbers(raw: bytes) -> bytes:
    """The same for bytes that could not be decoded: digits become "X" (they stay ASCII)."""

    def blot(match: re.Match[bytes]) -> bytes:
        found = match.group()
        digits = re.sub(rb"%2[0dD]|[^0-9]", b"", found).decode("ascii")
        if not luhn_ok(digits):
            return found
        return re.sub(
            rb"%2[0dD]|[0-9]", lambda m: m.group() if m.group()[:1] == b"%" else b"X", found
        )

    return _ENCODED_CARD.sub(blot, raw)


def _payment_kept(value: str) -> str:
    try:
        payment = json.loads(value)
    except ValueError:
        return ""  # not the JSON Tilda sends: nothing in it is kept
    if not isinstance(payment, dict):
        return ""
    kept = {key: payment[key] for key in PAYMENT_KEYS if key in payment}
    products = kept.get("products")
    if isinstance(products, list):
        kept["products"] = [
            {k: item[k] for k in PRODUCT_KEYS if k in item} if isinstance(item, dict) else item
            for item in products
        ]
    return json.dumps(kept, ensure_ascii=False)


# parse_qsl reads "+" as a space and splits on "&" and "="; everything else may stay as it is.
_ESCAPES = str.maketrans({"%": "%25", "&": "%26", "=": "%3D", "+": "%2B"})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


@dataclass(frozen=True)
class Received:
    """A readable body: its pairs as sanitised, and the ids that make it unique."""

    pairs: list[tuple[str, str]]
    formid: str
    tranid: str

    @property
    def is_test(self) -> bool:
        return self.pairs == [("test", "test")]

    def encoded(self) -> bytes:
        """Form-encoded again, readable: only what would change the parse is %-escaped."""
        return "&".join(f"{_escape(k)}={_escape(v)}" for k, v in self.pairs).encode("utf-8")


def read_body(raw: bytes, *, max_fields: int, drop: str = "") -> Received:
    """Parse a webhook body; raise UnreadableBody when it is not what Tilda sends.

    `drop` names a field that is not kept (the API key, a credential and not the person's).
    """
    try:
        text = raw.decode("utf-8")
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=bool(text),
            encoding="utf-8",
            errors="strict",
            max_num_fields=max_fields,
        )
    except UnicodeDecodeError:
        raise UnreadableBody("not_utf8") from None
    except ValueError as error:
        code = "too_many_fields" if "Max number of fields" in str(error) else "malformed"
        raise UnreadableBody(code) from None
    ids = {}
    for name in ("formid", "tranid"):
        ids[name] = next((v for k, v in pairs if k == name), "").strip()
    sanitised = [
        (name, _payment_kept(value) if name == "payment" else blot_card_numbers(value))
        for name, value in pairs
        if not (drop and name == drop)
    ]
    received = Received(pairs=sanitised, formid=ids["formid"][:64], tranid=ids["tranid"][:128])
    if not received.is_test and not (received.formid and received.tranid):
        raise UnreadableBody("no_ids")
    return received


def decoded_fields(body: bytes | memoryview | None) -> dict[str, str]:
    """A stored body's fields (the first value of each name); {} for an unreadable one."""
    if not body:
        return {}
    try:
        pairs = parse_qsl(bytes(body).decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return {}
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields


def is_ticked(value: str | None) -> bool:
    """Tilda sends "yes" for a ticked checkbox and leaves an unticked one out."""
    return (value or "").strip().casefold() in TICKED

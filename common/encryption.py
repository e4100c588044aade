"""Field-level encryption of the most sensitive personal data, and keyed blind indexes for lookup.

Keys come from the environment (FIELD_ENCRYPTION_KEYS: `id:key` pairs, the first one encrypts),
never from SECRET_KEY: a leaked SECRET_KEY (sessions, signed links) must not open the passports.
Each stored value names the key that sealed it (`enc1:<key id>:<Fernet token>`), so a rotation
can re-encrypt exactly what is still under an old key and prove that nothing is (see
`common.key_rotation`). Fernet is AES-128-CBC with HMAC-SHA256 from `cryptography`.

Values come out of the database sealed (`Sealed`): printing, templates and forms show a mask.
Only `Sealed.unseal_unaudited()` decrypts; callers that show a value to a person go through a
service that checks the permission and logs the view (e.g. `subjects.agreements`).

Exact lookup without decryption uses a blind index: HMAC-SHA256 of the normalised value under
BLIND_INDEX_KEY (another independent key) in a column beside the ciphertext.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from common.hashing import keyed_digest

TOKEN_PREFIX = "enc1"  # noqa: S105 (the format tag of stored values, not a secret)
MASK = "••••••"
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


class DecryptionError(Exception):
    """A stored value can't be decrypted: its key is gone from the keyring, or it was altered."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    fernets: dict[str, Fernet]


def parse_keyring(entries: tuple[str, ...] | list[str]) -> Keyring:
    """`["2025a:<fernet key>", "2024b:<fernet key>"]` -> Keyring; the first key encrypts."""
    fernets: dict[str, Fernet] = {}
    for entry in entries:
        key_id, separator, key = entry.strip().partition(":")
        if not separator or not _KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS: each entry is ID:KEY, the ID of letters, digits, - or _."
            )
        if key_id in fernets:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key id {key_id} appears twice.")
        try:
            fernets[key_id] = Fernet(key.strip())
        except ValueError:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: the key {key_id} is not a Fernet key "
                "(32 url-safe base64-encoded bytes; see the README)."
            ) from None
    if not fernets:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds no key.")
    return Keyring(current_id=next(iter(fernets)), fernets=fernets)


@lru_cache(maxsize=8)
def _keyring_for(entries: tuple[str, ...]) -> Keyring:
    return parse_keyring(entries)


def keyring() -> Keyring:
    return _keyring_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def is_token(value: object) -> bool:
    return isinstance(value, str) and value.startswith(TOKEN_PREFIX + ":")


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def encrypt(plaintext: str) -> str:
    ring = keyring()
    sealed = ring.fernets[ring.current_id].encrypt(plaintext.encode()).decode()
    return f"{TOKEN_PREFIX}:{ring.current_id}:{sealed}"


def decrypt(token: str) -> str:
    if not is_token(token):
        raise DecryptionError("not an encrypted value")
    _prefix, key_id, sealed = token.split(":", 2)
    fernet = keyring().fernets.get(key_id)
    if fernet is None:
        raise DecryptionError(f"the key {key_id} is not in FIELD_ENCRYPTION_KEYS")
    try:
        return fernet.decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise DecryptionError(f"a value under key {key_id} fails its integrity check") from None


class Sealed:
    """An encrypted value as read from the database: shows a mask, never the plaintext."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"<Sealed under key {key_id_of(self.token)}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)

    @property
    def key_id(self) -> str:
        return key_id_of(self.token)

    def unseal_unaudited(self) -> str:
        """The plaintext. Showing it to a person requires a permission check and a logged view."""
        return decrypt(self.token)


def normalise_for_index(value: str) -> str:
    """'n 123-456 ' and 'N123456' are one passport number: case, spaces and dashes don't count."""
    return re.sub(r"[\s\-]", "", value).upper()


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 (hex) of the normalised value under BLIND_INDEX_KEY, separate per purpose."""
    return keyed_digest(f"{purpose}\0{normalise_for_index(value)}", key=settings.BLIND_INDEX_KEY)


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored encrypted; reads give `Sealed`, writes of a `str` encrypt it. "" stays "".

    Only `isnull` and `exact` against "" are allowed as lookups: ciphertexts are randomised, so
    any other comparison would silently match nothing. Look values up through a BlindIndexField.
    """

    description = "Text encrypted with the field-encryption keyring"

    def __init__(self, *args: Any, blind_index_field: str | None = None, **kwargs: Any) -> None:
        self.blind_index_field = blind_index_field
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        if self.blind_index_field:
            kwargs["blind_index_field"] = self.blind_index_field
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return Sealed(value) if is_token(value) else value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, Sealed) or value is None:
            return value
        text = str(value)
        return Sealed(text) if is_token(text) else text

    def get_prep_value(self, value: Any) -> Any:
        value = self.to_python(value)
        if isinstance(value, Sealed):
            return value.token
        if value:
            return encrypt(value)
        return value  # "" or None: nothing to hide, and erasure blanks to these

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        # Seal on the instance itself: the history row simple-history copies from it then holds
        # the same ciphertext, and no plaintext lingers on the saved object.
        value = self.to_python(getattr(model_instance, self.attname))
        if isinstance(value, str):
            if self.blind_index_field:
                index_field = cast(
                    "BlindIndexField", model_instance._meta.get_field(self.blind_index_field)
                )
                setattr(model_instance, index_field.attname, index_field.digest(value))
            if value:
                value = Sealed(encrypt(value))
            setattr(model_instance, self.attname, value)
        return value

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return value.token if isinstance(value, Sealed) else (value or "")

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _BlankOnlyExact
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None


class _BlankOnlyExact(models.lookups.Exact):
    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise ValueError(
                "An encrypted field can only be compared with ''; look values up by blind index."
            )
        return super().get_prep_lookup()


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """HMAC of another (encrypted) field's plaintext, for exact lookup; "" when that is empty."""

    def __init__(self, *args: Any, source: str, purpose: str, **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        defaults = {"max_length": 64, "blank": True, "default": "", "editable": False}
        for key, default in defaults.items():
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def digest(self, plaintext: str) -> str:
        return blind_index(plaintext, purpose=self.purpose) if plaintext else ""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        # Whichever of the two fields is saved first, the index follows the plaintext.
        source = getattr(model_instance, self.source)
        if isinstance(source, str) and not is_token(source):
            setattr(model_instance, self.attname, self.digest(source))
        return getattr(model_instance, self.attname)

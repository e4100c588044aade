"""Key rotation for encrypted fields: re-encrypt every value, history rows included, under the
current key (the first in FIELD_ENCRYPTION_KEYS), and recompute blind indexes when asked.

The procedure (README, Production: keys): put a new key first in FIELD_ENCRYPTION_KEYS and keep
the old one after it; run `manage.py rotate_encryption_keys`; when it reports no value left
under the old key, remove that key from the environment.

Re-encryption writes no history rows: the values do not change, only the key that protects
them, and the old ciphertext in history rows is replaced as well (through the history door,
so this must run as the database role that owns the tables, like `migrate`).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction

from common.checks import project_models
from common.encryption import BlindIndexField, EncryptedTextField, Sealed, encrypt, keyring
from common.fields import model_field
from common.history_guard import open_history_door
from common.security_log import security_event


@dataclass
class RotationReport:
    current_key: str
    # "<app.model>": number of rows rewritten
    rewritten: Counter[str] = field(default_factory=Counter)
    # key id -> values under it, counted before the rotation
    values_by_key: Counter[str] = field(default_factory=Counter)
    # key id -> values under it afterwards (after a dry run: unchanged)
    remaining_by_key: Counter[str] = field(default_factory=Counter)

    @property
    def old_values_left(self) -> int:
        return sum(n for key, n in self.remaining_by_key.items() if key != self.current_key)


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every project model (history models too) with encrypted fields, and those fields."""
    found = []
    for model in project_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def _index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def _rotate_model(
    model: type[models.Model],
    fields: list[EncryptedTextField],
    *,
    report: RotationReport,
    reindex: bool,
    dry_run: bool,
    batch_size: int,
) -> None:
    pk_name = model._meta.pk.attname
    index_fields = _index_fields(model) if reindex else []
    names = [f.attname for f in fields]
    rows = model._base_manager.order_by(pk_name).values_list(pk_name, *names)
    for pk, *values in rows.iterator(chunk_size=batch_size):
        changes: dict[str, object] = {}
        plaintexts: dict[str, str] = {}
        for name, value in zip(names, values, strict=True):
            if not isinstance(value, Sealed):
                continue
            report.values_by_key[value.key_id] += 1
            needs_new_key = value.key_id != report.current_key
            if needs_new_key or reindex:
                plaintexts[name] = value.unseal_unaudited()
            if needs_new_key:
                changes[name] = Sealed(encrypt(plaintexts[name]))
            new_key = report.current_key if needs_new_key and not dry_run else value.key_id
            report.remaining_by_key[new_key] += 1
        for index_field in index_fields:
            source = model_field(model, index_field.source).attname
            if source in plaintexts:
                changes[index_field.attname] = index_field.digest(plaintexts[source])
        if changes and not dry_run:
            model._base_manager.filter(pk=pk).update(**changes)
        if changes:
            report.rewritten[model._meta.label_lower] += 1


@transaction.atomic
def reencrypt_all(
    *, dry_run: bool = False, reindex: bool = False, batch_size: int = 500
) -> RotationReport:
    """Re-encrypt every value not under the current key (all values' indexes with `reindex`).

    One transaction: it all happens or nothing does. With `dry_run`, only counts.
    """
    report = RotationReport(current_key=keyring().current_id)
    if not dry_run:
        open_history_door()  # history rows hold the old ciphertext too
    for model, fields in encrypted_models():
        _rotate_model(
            model, fields, report=report, reindex=reindex, dry_run=dry_run, batch_size=batch_size
        )
    if not dry_run:
        security_event(
            "key_rotation",
            current_key=report.current_key,
            rows=sum(report.rewritten.values()),
            reindexed=reindex,
        )
    return report

"""Key rotation: add a new key, re-encrypt everything (history too), drop the old key."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from common.encryption import DecryptionError
from subjects.agreements import agreement_data_update, agreements_find_by_passport, unsealed
from subjects.models import AgreementData
from tests.subjects.factories import AgreementDataFactory

OLD = f"old:{Fernet.generate_key().decode()}"
NEW = f"new:{Fernet.generate_key().decode()}"
TABLES = (AgreementData._meta.db_table, AgreementData.history.model._meta.db_table)
COLUMNS = ("passport_number", "passport_issued_by", "bank_account")


def _stored_key_ids() -> dict[str, int]:
    """Key id -> how many stored values (table and history) it sealed, read with plain SQL."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            for column in COLUMNS:
                cursor.execute(f'SELECT "{column}" FROM "{table}"')  # noqa: S608 (fixed names)
                for (value,) in cursor.fetchall():
                    key_id = value.split(":")[1]
                    counts[key_id] = counts.get(key_id, 0) + 1
    return counts


def _rotate(*arguments: str) -> str:
    out = io.StringIO()
    call_command("rotate_encryption_keys", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def under_the_old_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    first = AgreementDataFactory(passport_number="N11111111")
    second = AgreementDataFactory(passport_number="N22222222")
    agreement_data_update(
        agreement=second, actor=None, reason="new issuer", data={"passport_issued_by": "ЦОН"}
    )
    return first, second


@pytest.mark.django_db
def test_rotation_re_encrypts_everything_so_the_old_key_can_go(settings, under_the_old_key):
    first, second = under_the_old_key
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]  # step 1: the new key first, the old one kept
    assert _stored_key_ids() == {"old": 15}  # 2 rows + 3 history rows, 3 columns each

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # History is append-only (common.history_guard): rotation passes only through its door.
        cursor.execute(f"UPDATE \"{TABLES[1]}\" SET bank_name = ''")  # noqa: S608 (fixed name)

    output = _rotate()  # step 2
    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # step 3: the old key removed

    assert _stored_key_ids() == {"new": 15}
    assert "No value is left under old" in output
    assert unsealed(AgreementData.objects.get(pk=second.pk).passport_issued_by) == "ЦОН"
    history = second.history.order_by("history_id")
    assert [unsealed(row.passport_issued_by) for row in history] == ["МВД РК", "ЦОН"]
    assert [unsealed(row.passport_number) for row in first.history.all()] == ["N11111111"]
    # No history row was added: the values did not change, only their key.
    assert second.history.count() == 2
    assert list(agreements_find_by_passport(passport_number="N22222222")) == [second]


@pytest.mark.django_db
def test_without_the_rotation_the_old_key_cannot_be_dropped(settings, under_the_old_key):
    first, _second = under_the_old_key
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    with pytest.raises(DecryptionError):
        unsealed(AgreementData.objects.get(pk=first.pk).passport_number)
    with pytest.raises(CommandError, match="Put every key still in use back"):
        _rotate()


@pytest.mark.django_db
def test_a_dry_run_counts_and_changes_nothing(settings, under_the_old_key):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    output = _rotate("--dry-run")

    assert "Values under key old before: 30" in output  # 5 rows, 6 values each
    assert "subjects.agreementdata: would re-encrypt 2 rows" in output
    assert _stored_key_ids() == {"old": 15}


@pytest.mark.django_db
def test_a_new_blind_index_key_takes_a_reindex(settings, under_the_old_key):
    first, _second = under_the_old_key
    settings.BLIND_INDEX_KEY = "a-brand-new-blind-index-key-of-some-length"
    assert not agreements_find_by_passport(passport_number="N11111111").exists()

    _rotate("--reindex")

    assert list(agreements_find_by_passport(passport_number="N11111111")) == [first]
    assert _stored_key_ids() == {"old": 15}  # the encryption key did not change


@pytest.mark.django_db
def test_rotation_is_logged(settings, under_the_old_key, security_log):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    _rotate()

    [event] = security_log.events("key_rotation")
    assert event == {**event, "current_key": "new", "rows": 5, "reindexed": False}

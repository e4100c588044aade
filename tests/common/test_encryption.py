import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection

from common.encryption import (
    MASK,
    DecryptionError,
    Sealed,
    blind_index,
    decrypt,
    encrypt,
    keyring,
    parse_keyring,
)
from subjects.models import AgreementData
from tests.subjects.factories import AgreementDataFactory

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def test_a_value_round_trips_and_names_its_key_but_never_shows_the_plaintext(settings):
    settings.FIELD_ENCRYPTION_KEYS = [f"a:{KEY_A}"]

    token = encrypt("N12345678")

    assert token.startswith("enc1:a:")
    assert "N12345678" not in token
    assert decrypt(token) == "N12345678"
    assert encrypt("N12345678") != token  # randomised: equal values don't look equal


def test_the_first_key_encrypts_and_older_ones_still_decrypt(settings):
    settings.FIELD_ENCRYPTION_KEYS = [f"a:{KEY_A}"]
    old = encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = [f"b:{KEY_B}", f"a:{KEY_A}"]

    new = encrypt("secret")

    assert new.startswith("enc1:b:")
    assert decrypt(old) == decrypt(new) == "secret"


def test_a_value_under_a_removed_key_or_altered_fails_loudly(settings):
    settings.FIELD_ENCRYPTION_KEYS = [f"a:{KEY_A}"]
    token = encrypt("secret")
    altered = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")

    with pytest.raises(DecryptionError, match="integrity"):
        decrypt(altered)
    settings.FIELD_ENCRYPTION_KEYS = [f"b:{KEY_B}"]
    with pytest.raises(DecryptionError, match="key a is not in"):
        decrypt(token)


def test_keys_do_not_depend_on_the_secret_key(settings):
    token = encrypt("secret")

    settings.SECRET_KEY = "something else entirely"

    assert decrypt(token) == "secret"
    assert blind_index("N1", purpose="p") == blind_index("N1", purpose="p")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([], "holds no key"),
        (["no-separator"], "ID:KEY"),
        (["bad id!:" + KEY_A], "ID:KEY"),
        (["a:not-a-fernet-key"], "not a Fernet key"),
        ([f"a:{KEY_A}", f"a:{KEY_B}"], "appears twice"),
    ],
)
def test_a_malformed_keyring_refuses_to_load(entries, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_keyring(entries)


def test_the_keyring_follows_the_settings(settings):
    settings.FIELD_ENCRYPTION_KEYS = [f"b:{KEY_B}", f"a:{KEY_A}"]

    assert keyring().current_id == "b"
    assert set(keyring().fernets) == {"a", "b"}


def test_a_sealed_value_shows_a_mask_everywhere_it_may_be_printed(settings):
    sealed = Sealed(encrypt("N12345678"))

    assert str(sealed) == MASK
    assert "N12345678" not in repr(sealed)
    assert f"{sealed}" == MASK
    assert sealed.unseal_unaudited() == "N12345678"


def test_the_blind_index_ignores_case_spaces_and_dashes_and_depends_on_its_key(settings):
    same = {blind_index(v, purpose="passport") for v in ("N 1234-5678", "n12345678", " N12345678 ")}
    other_purpose = blind_index("N12345678", purpose="iban")
    settings.BLIND_INDEX_KEY = "another-key"
    other_key = blind_index("N12345678", purpose="passport")

    assert len(same) == 1
    assert other_purpose not in same
    assert other_key not in same


@pytest.mark.django_db
def test_the_columns_and_the_history_hold_ciphertext_and_reads_give_sealed_values():
    agreement = AgreementDataFactory(passport_number="N 1234 5678", bank_name="Kaspi")

    with connection.cursor() as cursor:
        table = AgreementData._meta.db_table
        cursor.execute(f"SELECT passport_number, bank_name, passport_number_index FROM {table}")  # noqa: S608 (model metadata)
        stored = cursor.fetchone()
        history_table = AgreementData.history.model._meta.db_table
        cursor.execute(f"SELECT passport_number, bank_name FROM {history_table}")  # noqa: S608 (model metadata)
        history = cursor.fetchone()
    loaded = AgreementData.objects.get(pk=agreement.pk)

    assert all(value.startswith("enc1:test:") for value in (*stored[:2], *history))
    assert "12345678" not in "".join(stored + history)
    assert stored[2] == blind_index("N12345678", purpose="passport_number")
    assert isinstance(loaded.passport_number, Sealed)
    assert loaded.passport_number.unseal_unaudited() == "N12345678"  # normalised before sealing
    # The history row was copied from the saved object: the very same ciphertext.
    assert history[0] == stored[0]


@pytest.mark.django_db
def test_encrypted_columns_refuse_comparisons_that_could_only_fail_silently():
    AgreementDataFactory(bank_name="")

    assert AgreementData.objects.filter(bank_name="").count() == 1
    assert AgreementData.objects.filter(passport_number__isnull=False).count() == 1
    with pytest.raises(ValueError, match="blind index"):
        list(AgreementData.objects.filter(passport_number="N12345678"))
    with pytest.raises(Exception, match="Unsupported lookup"):
        list(AgreementData.objects.filter(passport_number__icontains="123"))


@pytest.mark.django_db
def test_a_card_number_is_refused_even_in_encrypted_fields():
    with pytest.raises(ValidationError) as refused:
        AgreementDataFactory(bank_name="карта 4111 1111 1111 1111")

    assert "payment card" in refused.value.message_dict["bank_name"][0]
    assert not AgreementData.objects.exists()

"""A database dump holds agreement data only as ciphertext, history tables included."""

import os
import shutil
import subprocess

import pytest
from django.db import connection

from subjects.agreements import agreement_data_update, agreements_find_by_passport
from subjects.models import AgreementData
from tests.subjects.factories import AgreementDataFactory

CANARIES = {
    "passport_number": "QZ73150042",
    "passport_issued_by": "Canary office of the Mangystau region",
    "passport_issued_on": "2019-03-21",
    "bank_name": "Canary Savings Bank of Aktau",
    "bank_bic": "CNRYKZKA",
    "bank_account": "KZ47125KZT0000031337",
}
CHANGED_ISSUER = "Second canary office, Atyrau"


def _pg_dump() -> str:
    """pg_dump of the test database, with the test run's own connection parameters."""
    params = connection.settings_dict
    command = [
        shutil.which("pg_dump") or "pg_dump",
        "--host", params["HOST"] or "127.0.0.1",
        "--port", str(params["PORT"] or 5432),
        "--username", params["USER"],
        "--no-password",
        params["NAME"],
    ]  # fmt: skip
    environment = {**os.environ, "PGPASSWORD": params["PASSWORD"] or ""}
    result = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    return result.stdout


@pytest.mark.usefixtures("committed_db")
def test_a_dump_shows_no_plaintext_of_agreement_data_not_even_in_history():
    agreement = AgreementDataFactory(**CANARIES)
    agreement_data_update(
        agreement=agreement,
        actor=None,
        reason="new passport",
        data={"passport_issued_by": CHANGED_ISSUER},
    )

    dump = _pg_dump()

    assert agreement.history.count() == 2
    for value in [*CANARIES.values(), CHANGED_ISSUER]:
        assert value not in dump
        assert value.upper() not in dump
    # The rows are in the dump, sealed: 6 values in the table, 6 + 6 in the two history rows.
    assert dump.count("enc1:test:") == 18
    assert f"COPY public.{AgreementData._meta.db_table} " in dump
    # ...and the exact lookup by passport number still works, through the blind index only.
    assert list(agreements_find_by_passport(passport_number="qz 7315-0042")) == [agreement]
    assert not agreements_find_by_passport(passport_number="QZ73150043").exists()

"""Every history table is declared through common.history.AuditHistory: its writer named by id
(no constraint, no index) and its date under a BRIN index."""

import pytest
from django.db import connection

from common.history_guard import history_models


def _indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def _foreign_keys(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_constraint c JOIN pg_attribute a "
            "ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
            "WHERE c.conrelid = %s::regclass AND c.contype = 'f'",
            [table],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
@pytest.mark.parametrize("history", history_models(), ids=lambda m: m._meta.label)
def test_history_tables_cost_no_more_than_they_must(history):
    table = history._meta.db_table
    indexes = " ".join(_indexes(table).values())
    assert "history_user_id" not in _foreign_keys(table)
    assert "(history_user_id)" not in indexes
    assert "USING brin (history_date)" in indexes
    assert "btree (history_date)" not in indexes
    assert "btree (id)" in indexes  # history is read by object


@pytest.mark.django_db
def test_consent_history_is_found_by_subject_not_by_purpose():
    indexes = " ".join(_indexes("consents_historicalconsent").values())
    assert "(subject_id)" in indexes  # erasure finds it so
    assert "(purpose_id)" not in indexes
    assert "(policy_version_id)" not in indexes
    # The purpose of live consents is indexed once, by the index that starts with it.
    live = _indexes("consents_consent").values()
    assert [d for d in live if "(purpose_id" in d] == [
        "CREATE INDEX consent_purpose_given_idx ON public.consents_consent "
        "USING btree (purpose_id, given_at DESC, id DESC)"
    ]

"""The webhook's one-statement store writes the row and the history row simple-history would."""

import pytest
from django.utils import timezone

from common.history import save_with_history
from webforms.models import TildaSubmission
from webforms.storing import STORE_REASON, submission_insert

HISTORY_ONLY = {"history_id", "history_date", "history_change_reason", "history_type",
                "history_user", "id"}  # fmt: skip


def _submission(tranid: str) -> TildaSubmission:
    return TildaSubmission(
        formid="form612345678", tranid=tranid, received_at=timezone.now(),
        body=b"Name=%D0%90&Comments=x", body_size=22, proposed_changes={"city": "Алматы"},
    )  # fmt: skip


def _history_values(history) -> dict:
    values = {
        f.attname: getattr(history, f.attname)
        for f in history._meta.concrete_fields
        if f.name not in HISTORY_ONLY
    }
    values["body"] = bytes(values["body"])
    return values


@pytest.mark.django_db
def test_the_statement_writes_what_simple_history_writes():
    by_orm = _submission("1:1")
    save_with_history(by_orm, actor=None, reason=STORE_REASON)
    by_sql = _submission("1:2")

    pk = submission_insert(by_sql)

    stored = TildaSubmission.objects.get(pk=pk)
    assert bytes(stored.body) == bytes(by_sql.body)
    assert stored.proposed_changes == {"city": "Алматы"}
    orm_history = by_orm.history.get()
    sql_history = stored.history.get()
    expected = _history_values(orm_history) | {"tranid": "1:2", "received_at": by_sql.received_at}
    assert _history_values(sql_history) == expected
    assert (sql_history.history_type, sql_history.history_change_reason) == ("+", STORE_REASON)
    assert sql_history.history_user is None
    assert sql_history.history_date is not None


@pytest.mark.django_db
def test_a_second_insert_of_the_same_ids_writes_nothing():
    assert submission_insert(_submission("1:1")) is not None

    assert submission_insert(_submission("1:1")) is None
    assert TildaSubmission.objects.count() == 1
    assert TildaSubmission.history.count() == 1

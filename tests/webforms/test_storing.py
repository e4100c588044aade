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


@pytest.mark.django_db
def test_each_webhook_request_costs_one_statement_in_store_only_mode(settings):
    """What Tilda waits for: the one INSERT (nothing for its test ping), whatever the body."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.webforms.conftest import body, post

    settings.TILDA_WEBHOOK_APPLY_AFTER_RESPONSE = False
    raws = [body("registration_kk.txt"), body("registration_ru.txt"), b"test=test"]
    counts = []
    for raw in [*raws, raws[0]]:  # the last: a retry of the first
        with CaptureQueriesContext(connection) as queries:
            response = post(Client(), raw)
        assert (response.status_code, response.content) == (200, b"ok")
        counts.append([q["sql"].split()[0] for q in queries])

    assert counts == [["WITH"], ["WITH"], [], ["WITH"]]
    assert TildaSubmission.objects.count() == 2

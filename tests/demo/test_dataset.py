"""The made-up register for benchmarks: built by the server in bulk, realistic enough for the
planner to treat it as the real one, and never written into a database that holds a register."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consents.models import Consent, SuppressionEntry
from demo.dataset import DatasetRefused, dataset_build
from requests.models import SubjectRequest
from subjects.admin import SubjectAdmin
from subjects.models import Subject
from tests.subjects.factories import SubjectFactory

SIZE = 3000
PLANNED_SIZE = 20_000


@pytest.fixture
def register(db):
    return dataset_build(subjects=SIZE)


def test_the_data_set_holds_subjects_consents_history_requests_and_suppression(register):
    assert Subject.objects.count() == register.subjects == SIZE
    assert Consent.objects.count() == register.consents > SIZE  # several purposes each
    assert Consent.objects.values("purpose").distinct().count() >= 5
    assert Consent.objects.filter(state="withdrawn").exists()
    assert SubjectRequest.objects.count() == register.requests > 0
    assert SuppressionEntry.objects.count() == register.suppression_entries > 0
    assert Subject.history.count() == SIZE
    assert Consent.history.count() == register.consents
    record = Subject.history.first()
    assert record.history_user.username == "dataset-generator"
    assert record.history_change_reason


def test_people_have_kazakh_and_russian_names_kazakh_phones_and_unique_emails(register):
    names = " ".join(Subject.objects.values_list("last_name", flat=True))
    assert set("әғқңөұүһі") & set(names.lower())  # Kazakh letters
    assert "ов" in names
    phones = [p for p in Subject.objects.values_list("phone", flat=True) if p]
    assert all(re.fullmatch(r"\+77\d{9}", phone) for phone in phones)
    assert len(set(phones)) == len(phones) > SIZE * 0.8
    emails = list(Subject.objects.values_list("email", flat=True))
    assert len(set(emails)) == SIZE
    assert all(re.fullmatch(r"[a-z.]+\d+@[a-z.]+", email) for email in emails)
    for subject in Subject.objects.all()[:50]:
        subject.full_clean()  # every generated value passes the model's own validation


def test_a_register_that_is_not_empty_is_refused(db):
    SubjectFactory()

    with pytest.raises(DatasetRefused):
        dataset_build(subjects=10)
    with pytest.raises(CommandError, match="not empty"):
        call_command("generate_dataset", subjects=10)
    assert Subject.objects.count() == 1


def _plan(queryset) -> str:
    return _plan_of(*queryset.order_by().query.sql_with_params())


def _plan_of(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("term", "index"),
    [
        ("1234@", "subject_search_text_trgm"),
        ("қасымов", "subject_search_text_trgm"),
        ("ФЁДОРОВА елена", "subject_search_text_trgm"),
        ("000 79", "subject_search_text_trgm"),
        # A number typed from its start: the B-tree range on the phone.
        ("8 701 000", "subject_search_phone_prefix"),
        ("+7 701 000", "subject_search_phone_prefix"),
    ],
)
def test_each_search_is_served_by_an_index_of_the_search_table(rf, db, term, index):
    # Big enough that the planner prices the indexes as it will at size.
    dataset_build(subjects=PLANNED_SIZE)
    model_admin = SubjectAdmin(Subject, admin_site=None)
    with CaptureQueriesContext(connection) as read_first:  # the ids of several words
        queryset, _duplicates = model_admin.get_search_results(
            rf.get("/"), Subject.objects.all(), term
        )
    plans = [_plan_of(query["sql"], None) for query in read_first.captured_queries]

    assert index in "\n".join([*plans, _plan(queryset)])
    assert queryset.exists()

"""The search table (subjects.models.SubjectSearch) follows every write without the writer's help:
triggers for the services, erasure and imports' updates; a job, after commit, for the subjects an
import creates (and a sweep for what a lost job left). The demo on SQLite searches the columns."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erasure.services import subject_erase
from subjects import services
from subjects.models import Subject, SubjectSearch
from subjects.search import subject_search_fill
from subjects.selectors import subject_search
from tests.imports.conftest import run_import
from tests.subjects.factories import SubjectFactory

LIST = (
    "Email;ФИО;Телефон\r\n"
    "aigerim@example.kz;Қасымова Әйгерім;+7 701 234 56 78\r\n"
    "boris@example.kz;Быков Борис;8 702 111 22 33\r\n"
).encode()


def _found(term: str) -> set[str | None]:
    return set(subject_search(Subject.objects.all(), term).values_list("email", flat=True))


@pytest.mark.django_db
def test_an_imported_person_is_found_once_the_job_has_run(
    officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        run_import(LIST, actor=officer)
        # Inside the import's transaction: the people are written, their search rows are not.
        created = Subject.objects.filter(email__in=["aigerim@example.kz", "boris@example.kz"])
        assert created.count() == 2
        assert not SubjectSearch.objects.filter(subject__in=created).exists()
        assert _found("қасымова") == set()
    assert len(callbacks) == 1  # the job, enqueued with the import

    callbacks[0]()  # the job, as the queue runs it once the import has committed

    assert _found("қасымова әйгерім") == {"aigerim@example.kz"}
    assert _found("+7 702 111") == {"boris@example.kz"}
    assert _found("8 701 234") == {"aigerim@example.kz"}
    callbacks[0]()  # delivered twice: nothing more is written
    assert SubjectSearch.objects.count() == 2


@pytest.mark.django_db
def test_the_job_is_enqueued_with_the_range_of_the_created_subjects(officer, settings):
    from procrastinate.contrib.django.models import ProcrastinateJob

    settings.JOBS_INLINE = False

    run_import(LIST, actor=officer)

    job = ProcrastinateJob.objects.get(task_name="index_subjects_for_search")
    ids = sorted(Subject.objects.values_list("pk", flat=True))
    assert job.args == {"first_id": ids[0], "last_id": ids[-1]}


@pytest.mark.django_db
def test_the_sweep_indexes_whatever_a_lost_job_left(officer, settings):
    settings.JOBS_INLINE = False  # the job is enqueued, and never run
    run_import(LIST, actor=officer)
    assert _found("быков") == set()

    assert subject_search_fill() == 2

    assert _found("быков") == {"boris@example.kz"}
    assert subject_search_fill() == 0


@pytest.mark.django_db
def test_a_subject_changed_through_the_services_is_found_by_the_new_values_only(officer):
    subject = SubjectFactory(last_name="Старова", email="old@example.kz", phone="+77011112233")
    assert _found("старова") == {"old@example.kz"}

    services.subject_update(
        subject=subject,
        actor=officer,
        reason="Married",
        data={"last_name": "Новикова", "email": "new@example.kz", "phone": "+77059998877"},
    )

    assert _found("новикова") == {"new@example.kz"}
    assert _found("+7 705 999") == {"new@example.kz"}
    assert _found("старова") == _found("old@example") == _found("+7 701 111") == set()


@pytest.mark.django_db
def test_an_import_that_fills_an_empty_phone_makes_it_searchable(officer):
    SubjectFactory(email="aigerim@example.kz", last_name="Қасымова", phone="")

    run_import(LIST, actor=officer)  # her row fills the phone inside the import's transaction

    assert _found("8 701 234") == {"aigerim@example.kz"}


@pytest.mark.django_db
def test_an_erased_persons_search_row_holds_nothing_of_them(officer):
    subject = SubjectFactory(
        last_name="Маркерова", first_name="Анна", email="marker@example.kz", phone="+77014445566"
    )

    subject_erase(subject=subject, actor=officer, reason="Request #1")

    row = SubjectSearch.objects.get(subject=subject)
    assert (row.text.strip(), row.phone) == ("", "")
    assert _found("маркерова") == _found("+7 701 444") == set()


@pytest.mark.django_db
def test_a_deleted_subject_takes_its_search_row_with_it():
    subject = SubjectFactory()
    with connection.cursor() as cursor:  # not through Django's cascade
        cursor.execute("DELETE FROM subjects_subject WHERE id = %s", [subject.pk])

    assert not SubjectSearch.objects.filter(subject_id=subject.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "queries"),
    [
        ("қасымова", 1),
        ("ФЁДОРОВА ЕЛЕНА", 2),  # several words read their ids first (subjects.selectors._holding)
        ("8 701 234", 1),
        ("34 56", 1),
        ("@example", 1),
    ],
)
def test_a_search_costs_the_same_queries_whatever_it_finds(term, queries):
    for n in range(3):
        SubjectFactory(last_name="Фёдорова", first_name="Елена", email=f"fe{n}@example.kz")
    with CaptureQueriesContext(connection) as few:
        list(subject_search(Subject.objects.all(), term))
    for n in range(3, 9):
        SubjectFactory(last_name="Қасымова", phone=f"+7701234560{n}", email=f"k{n}@example.kz")
    with CaptureQueriesContext(connection) as more:
        list(subject_search(Subject.objects.all(), term))

    assert len(few) == len(more) == queries


SQLITE_SEARCH = """
import json
from subjects.models import Subject
from subjects.selectors import subject_search
terms = ["Быков", "boris@", "+7 702 111", "8 701 234", "234 56", "77012345678"]
print(json.dumps({t: sorted(subject_search(Subject.objects.all(), t).values_list(
    "email", flat=True)) for t in terms}))
"""


def test_the_demo_on_sqlite_searches_the_subjects_own_columns(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.demo",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}  # fmt: skip
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    (tmp_path / "list.csv").write_bytes(LIST)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*manage, "import_mailing_list", str(tmp_path / "list.csv"), "--purpose", "newsletter"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip

    result = subprocess.run(
        [*manage, "shell", "-c", SQLITE_SEARCH], env=env, check=True, capture_output=True
    )

    found = json.loads(result.stdout.decode().strip().splitlines()[-1])
    assert found == {
        "Быков": ["boris@example.kz"],
        "boris@": ["boris@example.kz"],
        "+7 702 111": ["boris@example.kz"],
        "8 701 234": ["aigerim@example.kz"],
        "234 56": ["aigerim@example.kz"],
        "77012345678": ["aigerim@example.kz"],
    }


@pytest.mark.django_db
def test_several_words_finding_more_than_it_reads_first_are_searched_again(monkeypatch):
    from subjects import selectors

    for n in range(4):
        SubjectFactory(last_name="Фёдорова", first_name="Елена", email=f"fe{n}@example.kz")
    SubjectFactory(last_name="Фёдорова", first_name="Анна", email="anna@example.kz")
    monkeypatch.setattr(selectors, "_IDS_READ_FIRST", 2)  # a register where 4 are thousands

    found = subject_search(Subject.objects.all(), "фёдорова елена")

    assert "ARRAY(SELECT" in str(found.query)  # the list searches again, not 3 of the 4 ids
    assert set(found.values_list("email", flat=True)) == {f"fe{n}@example.kz" for n in range(4)}

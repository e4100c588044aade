"""100 concurrent retries of one tranid: one submission, one subject, one consent per box.

Each request runs on its own thread with its own database connection, against committed data,
so it is PostgreSQL's unique constraint that decides, not an earlier check in Python.
"""

import importlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from consents.models import Consent
from subjects.models import Subject
from webforms.models import SubmissionState, TildaSubmission

from .conftest import body, make_form, post

RETRIES = 100


@pytest.fixture
def seeded(committed_db):
    """The seeded purposes again: the flush after an earlier committed test removed them."""
    from django.apps import apps

    seed = importlib.import_module("consents.migrations.0002_seed_purposes")
    seed.seed_purposes(apps, None)


THREADS = 20  # connections at once: the test database is shared with the other tests' runs


@pytest.mark.django_db(transaction=True)
def test_100_concurrent_retries_of_one_tranid_create_exactly_one_consent_each(seeded, consent_text):
    make_form("form612345678", consent_text, Checkbox="feedback", newsletter="newsletter")
    raw = body("registration_kk.txt")
    start = threading.Barrier(THREADS)

    def attempt(n: int) -> tuple[int, bytes]:
        try:
            if n < THREADS:
                start.wait(timeout=30)  # the first wave leaves together
            response = post(Client(), raw)
            return response.status_code, response.content
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(attempt, range(RETRIES)))

    assert answers == [(200, b"ok")] * RETRIES
    assert TildaSubmission.objects.get().state == SubmissionState.PROCESSED
    assert Subject.objects.count() == 1
    assert sorted(Consent.objects.values_list("purpose__code", flat=True)) == [
        "feedback",
        "newsletter",
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_new_person_make_one_subject(seeded, consent_text):
    make_form("form612345678", consent_text, Checkbox="feedback")
    raw = body("registration_kk.txt")
    bodies = [raw.replace(b"7654321098", b"76543210%02d" % n) for n in range(10)]
    start = threading.Barrier(len(bodies))

    def attempt(one: bytes) -> int:
        try:
            start.wait(timeout=30)
            return post(Client(), one).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        assert list(pool.map(attempt, bodies)) == [200] * len(bodies)

    states = list(TildaSubmission.objects.values_list("state", flat=True))
    assert states == [SubmissionState.PROCESSED] * len(bodies)
    assert Subject.objects.count() == 1
    assert Consent.objects.count() == 1

"""Answers on the job queue: enqueued with their write, sent by a worker's job, with retries.

The job function runs here as a worker would call it (the worker processes themselves are in
tests/jobs/test_workers.py); the SMTP server is the real sink on loopback.
"""

import base64
import email
import json

import pytest
from django.db import connection, transaction
from procrastinate import JobContext
from procrastinate.contrib.django import app
from procrastinate.jobs import Job

from common.tasks import MAIL_RETRY, send_email
from requests.models import ActionKind
from requests.services import answers
from requests.services.intake import message_ingest, request_kind_confirm
from tests.requests.conftest import wait_for_mail
from tests.requests.letters import letter
from tests.requests.test_answers import ADDRESS, _subject, operator  # noqa: F401


@pytest.fixture
def queued(settings):
    settings.JOBS_INLINE = False


@pytest.fixture
def open_request(operator, officer):  # noqa: F811
    _subject("en")
    subject_request = message_ingest(
        raw=letter(sender=ADDRESS, body="What do you keep?"), source="t"
    )
    request_kind_confirm(subject_request=subject_request.request, actor=officer)
    return subject_request.request


def _jobs() -> list[tuple[int, str, dict]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, task_name, args::text FROM procrastinate_jobs ORDER BY id")
        return [(id_, task, json.loads(args)) for id_, task, args in cursor.fetchall()]


def _run(job_id: int, *, attempts: int = 0) -> None:
    """Call the job's function as a worker does, as its attempt number `attempts`."""
    (row,) = [job for job in _jobs() if job[0] == job_id]
    job = Job(id=job_id, queue="mail", lock=None, queueing_lock=None, task_name=row[1],
              task_kwargs=row[2], attempts=attempts)  # fmt: skip
    context = JobContext(app=app, job=job, start_timestamp=0, abort_reason=lambda: None)
    send_email(context, **row[2])


def test_an_answer_is_enqueued_with_its_write_and_not_at_all_when_that_rolls_back(
    queued, open_request, officer, smtp_sink
):
    with transaction.atomic():
        answers.answer_send(
            subject_request=open_request, actor=officer, subject="Answer", body="Text"
        )
        transaction.set_rollback(True)  # the surrounding write fails after the answer was made
    assert _jobs() == []

    answers.answer_send(subject_request=open_request, actor=officer, subject="Answer", body="Text")

    ((_id, task, args),) = _jobs()
    assert task == "send_email"
    assert args["to"] == [ADDRESS]
    assert args["on_sent"] == "requests.answer_sent"
    open_request.refresh_from_db()
    assert open_request.is_open  # closed only once a worker has sent it
    assert smtp_sink.received == []


def test_the_worker_sends_the_answer_then_the_request_closes_once(
    queued, open_request, officer, smtp_sink
):
    answers.answer_send(subject_request=open_request, actor=officer, subject="Answer", body="Text")
    ((job_id, _task, args),) = _jobs()

    _run(job_id)
    _run(job_id)  # run again, as after a worker died between sending and finishing

    sent = wait_for_mail(smtp_sink, 2)
    stored = email.message_from_bytes(base64.b64decode(args["raw"]))
    assert sent[0]["Message-ID"] == stored["Message-ID"]
    assert sent[0]["To"] == ADDRESS
    open_request.refresh_from_db()
    assert not open_request.is_open
    assert open_request.actions.filter(kind=ActionKind.ANSWER_SENT).count() == 1


def test_a_refused_answer_is_retried_and_its_last_failure_is_written_on_the_request(
    queued, open_request, officer, smtp_sink
):
    answers.answer_send(subject_request=open_request, actor=officer, subject="Answer", body="Text")
    ((job_id, _task, _args),) = _jobs()
    smtp_sink.refuse = True

    with pytest.raises(OSError, match="554"):
        _run(job_id, attempts=0)
    assert not open_request.actions.filter(kind=ActionKind.ANSWER_FAILED).exists()

    with pytest.raises(OSError, match="554"):
        _run(job_id, attempts=MAIL_RETRY.max_attempts - 1)
    failure = open_request.actions.get(kind=ActionKind.ANSWER_FAILED)
    assert "554" in failure.note
    open_request.refresh_from_db()
    assert open_request.is_open

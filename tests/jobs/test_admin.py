"""The background-jobs page: dead letters are retried by who may, and no job's content shows."""

import pytest
from django.db import connection
from django.urls import reverse

from common.tasks import send_email

URL = reverse("admin:procrastinate_procrastinatejob_changelist")


def _job(status: str) -> int:
    job_id = send_email.defer(raw="", from_email="a@example.org", to=["person@example.kz"])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = %s, attempts = 5 WHERE id = %s",
            [status, job_id],
        )
    return job_id


def _status(job_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id])
        return cursor.fetchone()[0]


def test_the_officer_retries_a_dead_letter_and_only_that(officer_client, security_log):
    failed, waiting = _job("failed"), _job("todo")

    response = officer_client.post(
        URL, {"action": "retry", "_selected_action": [failed, waiting]}, follow=True
    )

    assert response.status_code == 200
    assert "1 job queued again." in response.text
    assert _status(failed) == "todo"
    assert _status(waiting) == "todo"
    assert [event["job"] for event in security_log.events("job_retried")] == [failed]


def test_the_list_shows_no_address_and_bounds_its_queries(
    officer_client, django_assert_max_num_queries
):
    for _ in range(5):
        _job("failed")

    with django_assert_max_num_queries(12):
        response = officer_client.get(URL, {"status": "failed"})

    assert response.status_code == 200
    assert "send_email" in response.text
    assert "person@example.kz" not in response.text


@pytest.mark.parametrize("user", ["staff_user", "auditor"])
def test_staff_and_auditor_cannot_retry(db, client, user, request):
    job_id = _job("failed")
    client.force_login(request.getfixturevalue(user))

    client.post(URL, {"action": "retry", "_selected_action": [job_id]})

    assert _status(job_id) == "failed"

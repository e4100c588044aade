"""Letters waiting in the job queue to a person who is then erased are never sent, and no dead
letter keeps their address or text (common.jobs.mail_jobs_forget, called by the erasure)."""

import pytest
from django.core.mail import EmailMessage
from django.db import connection, transaction

from common.jobs import mail_enqueue
from erasure.services import subject_erase
from tests.subjects.factories import SubjectFactory


def _queued_to() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT address FROM procrastinate_jobs,"
            " jsonb_array_elements_text(args -> 'to') AS t(address)"
            " WHERE task_name = 'send_email' ORDER BY address"
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_erasure_deletes_the_waiting_and_failed_letters_to_the_person_and_no_others(
    settings, officer
):
    settings.JOBS_INLINE = False
    person = SubjectFactory(email="Dana.Seitkali@example.kz")
    other = SubjectFactory(email="other.person@example.kz")
    with transaction.atomic():
        for to in (person.email, other.email, "dana.seitkali@example.kz"):
            mail_enqueue(
                EmailMessage("Receipt", "Dana Seitkali's consents", "ops@example.org", [to])
            )
    with connection.cursor() as cursor:  # one of the person's letters failed for good
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'failed' WHERE id = (SELECT min(id)"
            " FROM procrastinate_jobs WHERE task_name = 'send_email')"
        )
    assert len(_queued_to()) == 3

    log = subject_erase(subject=person, actor=officer, reason="The subject asked")

    assert _queued_to() == ["other.person@example.kz"]
    assert log.counts["outside"]["procrastinate_jobs"] == 2

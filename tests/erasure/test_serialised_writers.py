"""An import or a creation that meets a running erasure of the same person waits for it, then
finds the person erased and suppressed: every writer of a subject serialises with erasure.

These tests commit (a second connection must see the erasure's locks); `committed_db` seeds the
migrations' rows again when an earlier such test flushed them.
"""

import io
import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from consents.models import Consent
from erasure.services import subject_erase
from imports.services import ImportSource, mailing_list_import
from subjects import services as subject_services
from subjects.models import Subject
from subjects.services import SubjectSuppressed
from tests.consents.factories import ConsentFactory, purpose
from tests.subjects.factories import SubjectFactory

EMAIL, PHONE = "bekov@example.kz", "+77471234567"


def _waiting_for_a_lock(timeout: float = 15) -> bool:
    """Whether another connection of this database is waiting for a lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def _during_an_open_erasure(subject: Subject, officer, writer: Callable[[], object]) -> list:
    """Run `writer` in another connection while the erasure of `subject` has not committed."""
    erased, release = threading.Event(), threading.Event()
    outcome: list = []

    def erase() -> None:
        try:
            with transaction.atomic():
                subject_erase(subject=subject, actor=officer, reason="Asked")
                erased.set()
                release.wait(30)
        except Exception as error:
            outcome.append(error)
            erased.set()
        finally:
            connection.close()

    def write() -> None:
        try:
            outcome.append(writer())
        except Exception as error:
            outcome.append(error)
        finally:
            connection.close()

    eraser = threading.Thread(target=erase)
    eraser.start()
    assert erased.wait(30)
    other = threading.Thread(target=write)
    other.start()
    waited = _waiting_for_a_lock()
    release.set()
    eraser.join(30)
    other.join(60)
    assert waited, "the writer did not wait for the erasure"
    return outcome


@pytest.mark.usefixtures("committed_db")
def test_an_import_during_an_erasure_waits_and_then_leaves_the_person_erased(officer, media):
    subject = SubjectFactory(email=EMAIL, phone=PHONE, last_name="Беков", city="Алматы")
    ConsentFactory(subject=subject, purpose=purpose("feedback"))
    csv = f"Email,Last Name,Phone,City\n{EMAIL},Беков,{PHONE},Астана\n".encode()

    outcome = _during_an_open_erasure(
        subject,
        officer,
        lambda: mailing_list_import(
            sources=[ImportSource("list.csv", io.BytesIO(csv))],
            purpose=purpose("newsletter"),
            actor=officer,
        ),
    )

    [report] = outcome
    assert report.totals()["suppressed"] == 1
    subject.refresh_from_db()
    assert (subject.state, subject.last_name, subject.phone, subject.city) == ("erased", "", "", "")
    assert not Consent.objects.filter(subject=subject, state="given").exists()
    assert Subject.objects.count() == 1
    assert not [h for h in subject.history.all() if "Беков" in (h.last_name or "")]


@pytest.mark.usefixtures("committed_db")
def test_a_creation_during_an_erasure_waits_and_then_sees_the_person_suppressed(officer, media):
    subject = SubjectFactory(email=EMAIL, phone=PHONE, last_name="Беков")

    outcome = _during_an_open_erasure(
        subject,
        officer,
        lambda: subject_services.subject_create(
            actor=officer, reason="Form", data={"source": "email", "email": EMAIL}
        ),
    )

    assert [type(result) for result in outcome] == [SubjectSuppressed]
    assert Subject.objects.count() == 1

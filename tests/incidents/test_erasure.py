"""Erasure reaches the affected list: an erased person leaves the count, not the name."""

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from erasure.services import subject_erase
from incidents.selectors import affected_count, listed_count
from tests.incidents.factories import incident_open
from tests.subjects.factories import SubjectFactory

pytestmark = pytest.mark.django_db

MARKER = "canaryincident"


def incidents_tables_holding(text: str) -> list[str]:
    """Tables of the incidents app (history included) with `text` in any column."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("incidents").get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT count(*) FROM {table} t WHERE t::text LIKE %s", [f"%{text}%"])  # noqa: S608 - table names from the app registry
            if cursor.fetchone()[0]:
                found.append(model._meta.db_table)
    return found


def test_erasing_an_affected_subject_keeps_the_count_and_empties_their_row(
    client, officer, settings, tmp_path
):
    settings.ERASURE_JOURNAL_PATH = tmp_path / "journal.jsonl"
    person = SubjectFactory(
        last_name=f"{MARKER}last", first_name=f"{MARKER}first", patronymic="",
        iin="900101300017", phone="+77471234567", email=f"{MARKER}@example.kz",
    )  # fmt: skip
    other = SubjectFactory()
    incident = incident_open(actor=officer, subjects=[person, other])
    client.force_login(officer)
    export = reverse("admin:incidents_incident_list", args=[incident.pk, "csv"])
    before = b"".join(client.get(export).streaming_content).decode()
    assert MARKER in before
    assert "900101300017" in before

    subject_erase(subject=person, actor=officer, reason="Erasure request")
    after = b"".join(client.get(export).streaming_content).decode()

    assert affected_count(incident) == 2  # the count stays
    assert listed_count(incident) == 1  # the name goes
    assert MARKER not in after
    assert "900101300017" not in after
    assert "+77471234567" not in after
    assert str(other.last_name) in after
    assert incidents_tables_holding(MARKER) == []  # nothing was copied into the register
    assert incidents_tables_holding("900101300017") == []


def test_an_erased_subject_is_never_added_again(officer):
    person = SubjectFactory()
    incident = incident_open(actor=officer)
    subject_erase(subject=person, actor=officer, reason="Erasure request")

    from incidents.models import AffectedSource
    from incidents.services import incident_subjects_add

    added = incident_subjects_add(
        incident=incident, subject_ids=[person.pk], source=AffectedSource.PICKED, actor=officer
    )

    assert added == 0

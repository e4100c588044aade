import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from common.history_guard import (
    GUARD_TRIGGER,
    TRUNCATE_TRIGGER,
    history_blank,
    history_models,
    install_guards,
)
from subjects.models import Subject
from tests.subjects.factories import SubjectFactory


@pytest.fixture(autouse=True)
def guards(db):
    """A committed-database test elsewhere lifts the guards to empty the database; not here."""
    install_guards()


def _refused(sql: str, params: list | None = None) -> str:
    with (
        pytest.raises(DatabaseError) as raised,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    return str(raised.value)


@pytest.mark.django_db
def test_every_history_table_has_both_guards_always_enabled():
    tables = [model._meta.db_table for model in history_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger"
            " WHERE tgname IN (%s, %s)",
            [GUARD_TRIGGER, TRUNCATE_TRIGGER],
        )
        found = {(table, name): enabled for table, name, enabled in cursor.fetchall()}

    assert len(tables) >= 10
    for table in tables:
        assert found.get((table, GUARD_TRIGGER)) == "A", table  # A: fires even for replicas
        assert found.get((table, TRUNCATE_TRIGGER)) == "A", table


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE subjects_historicalsubject SET last_name = 'changed'",
        "DELETE FROM subjects_historicalsubject",
        # Deferred foreign-key checks of the rows just written must run before a TRUNCATE.
        "SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE subjects_historicalsubject",
    ],
)
def test_history_refuses_update_delete_and_truncate(sql):
    SubjectFactory(last_name="Беков")

    message = _refused(sql)

    assert "history is append-only" in message
    assert Subject.history.get().last_name == "Беков"


@pytest.mark.django_db
def test_the_guard_holds_when_triggers_are_switched_off_for_replication():
    SubjectFactory(last_name="Беков")

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute("UPDATE subjects_historicalsubject SET last_name = 'x'")

    assert Subject.history.get().last_name == "Беков"


@pytest.mark.django_db
def test_the_orm_cannot_rewrite_history_either():
    SubjectFactory(last_name="Беков")

    with pytest.raises(DatabaseError), transaction.atomic():
        Subject.history.update(last_name="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        Subject.history.all().delete()


@pytest.mark.django_db
def test_the_door_only_blanks_and_never_touches_audit_columns():
    subject = SubjectFactory(last_name="Беков", city="Алматы")
    record = subject.history.get()

    changed = history_blank(
        Subject.history.model, columns=["last_name"], history_ids=[record.history_id]
    )

    record.refresh_from_db()
    assert changed == 1
    assert (record.last_name, record.city) == ("", "Алматы")
    assert "never blanked" in _refused(
        "SELECT derbes_history_blank('subjects_historicalsubject'::regclass, %s, %s)",
        [["history_change_reason"], [record.history_id]],
    )
    assert "not a guarded history table" in _refused(
        "SELECT derbes_history_blank('subjects_subject'::regclass, %s, %s)", [["city"], [1]]
    )


@pytest.mark.django_db
def test_the_hardened_application_role_can_append_but_not_rewrite():
    subject = SubjectFactory(last_name="Беков")
    record_id = subject.history.get().history_id
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE derbes_app_probe NOLOGIN")  # rolled back with the test
    call_command("harden_database_roles", "--app-role", "derbes_app_probe")

    with connection.cursor() as cursor:
        cursor.execute("SET ROLE derbes_app_probe")
        try:
            cursor.execute("SET LOCAL derbes.history_door = 'open'")  # the flag alone opens nothing
            for sql in (
                "UPDATE subjects_historicalsubject SET last_name = 'x'",
                "DELETE FROM subjects_historicalsubject",
                "TRUNCATE subjects_historicalsubject",
                "DELETE FROM erasure_erasurelog",
            ):
                assert "permission denied" in _refused(sql)
            cursor.execute("UPDATE subjects_subject SET city = 'Астана'")  # registers: writable
            cursor.execute(
                "SELECT derbes_history_blank('subjects_historicalsubject'::regclass, %s, %s)",
                [["last_name"], [record_id]],
            )
            assert cursor.fetchone()[0] == 1  # the door works for it
        finally:
            cursor.execute("RESET ROLE")

    assert Subject.history.get(history_id=record_id).last_name == ""

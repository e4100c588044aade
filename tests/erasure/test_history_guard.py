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


@pytest.fixture
def app_role(db):
    """The hardened application role, as production runs it (created inside the test's
    transaction, so it is rolled back with it)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE derbes_app_probe NOLOGIN")
    call_command("harden_database_roles", "--app-role", "derbes_app_probe")
    return "derbes_app_probe"


def _history_grants(role: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants"
            " WHERE grantee = %s AND table_name = 'subjects_historicalsubject'",
            [role],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_the_door_refuses_a_look_alike_table_whose_trigger_runs_the_callers_code(app_role):
    """The attack: a temporary table with a trigger named like the guard, whose function (in
    pg_temp) would run with the door's owner rights and grant the role what it may not have."""
    subject = SubjectFactory(last_name="Беков")
    record_id = subject.history.get().history_id

    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {app_role}")
        try:
            cursor.execute(
                "CREATE TEMP TABLE look_alike (history_id bigint, last_name text);"
                "INSERT INTO look_alike VALUES (%s, 'x');",
                [record_id],
            )
            cursor.execute(
                "CREATE FUNCTION pg_temp.escalate() RETURNS trigger LANGUAGE plpgsql AS $$"
                " BEGIN"
                "   EXECUTE 'GRANT UPDATE, DELETE, TRUNCATE ON subjects_historicalsubject"
                "            TO derbes_app_probe';"
                "   UPDATE subjects_historicalsubject SET last_name = 'rewritten';"
                "   RETURN NEW;"
                " END $$"
            )
            cursor.execute(
                "CREATE TRIGGER derbes_history_guard_row BEFORE UPDATE ON look_alike"
                " FOR EACH ROW EXECUTE FUNCTION pg_temp.escalate()"
            )
            for table in ("look_alike", "pg_temp.look_alike"):
                message = _refused(
                    "SELECT derbes_history_blank(%s::regclass, %s, %s)",
                    [table, ["last_name"], [record_id]],
                )
                assert "not a guarded history table" in message
        finally:
            cursor.execute("RESET ROLE")

    assert Subject.history.get(history_id=record_id).last_name == "Беков"
    assert _history_grants(app_role) == {"SELECT", "INSERT"}


@pytest.mark.django_db
def test_the_door_blanks_only_the_columns_the_registry_names_as_personal(app_role):
    from consents.models import Consent
    from tests.consents.factories import ConsentFactory

    consent = ConsentFactory(evidence="Письмо")
    record_id = consent.history.get().history_id
    door = "SELECT derbes_history_blank('consents_historicalconsent'::regclass, %s, %s)"

    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {app_role}")
        try:
            for column in ("subject_id", "withdrawn_at", "withdrawal_channel", "state"):
                assert "not personal data" in _refused(door, [[column], [record_id]])
            assert "permission denied" in _refused("SELECT * FROM derbes_history_door")
            assert "permission denied" in _refused(
                "INSERT INTO derbes_history_door VALUES ('consents_historicalconsent', 'state')"
            )
            cursor.execute(door, [["evidence"], [record_id]])
            assert cursor.fetchone()[0] == 1
        finally:
            cursor.execute("RESET ROLE")

    record = Consent.history.get(history_id=record_id)
    assert (record.evidence, record.subject_id) == ("", consent.subject_id)


@pytest.mark.django_db
def test_the_door_pins_its_search_path_with_pg_temp_last():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proconfig, prosecdef FROM pg_proc"
            " WHERE oid = 'derbes_history_blank(regclass, text[], bigint[])'::regprocedure"
        )
        config, security_definer = cursor.fetchone()

    assert security_definer
    assert config == ["search_path=pg_catalog, pg_temp"]


@pytest.mark.django_db
def test_the_allow_list_is_the_registrys_personal_fields_of_history_tables():
    from common.history_guard import door_allow_list

    pairs = set(door_allow_list())
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM derbes_history_door")
        stored = set(cursor.fetchall())

    assert stored == pairs
    assert ("subjects_historicalsubject", "last_name") in pairs
    assert ("consents_historicalconsent", "evidence") in pairs
    assert not {column for _table, column in pairs} & {
        "subject_id", "consent_id", "withdrawn_at", "withdrawal_channel", "state", "id",
    }  # fmt: skip

import json
import logging

import pytest
from django.contrib.auth.models import Group, User

from accounts.roles import AUDITOR, PRIVACY_OFFICER, STAFF, roles_sync


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as migrate leaves it, plus the role groups (as `setup_roles` after every
    deployment): written once per run (per worker) instead of once per user a test makes.

    A database kept from an earlier run (--reuse-db) may have been left flushed by its last test
    with committed data: the seeded rows are written again first."""
    from django.db import connection

    with django_db_blocker.unblock():
        _seed_again_after_a_flush(connection)
        roles_sync()


def _user_with_role(username: str, role: str | None) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-only", is_staff=True)
    if role:
        group = Group.objects.filter(name=role).first()
        if group is None:  # emptied by a test with committed data (they run last)
            roles_sync()
            group = Group.objects.get(name=role)
        user.groups.add(group)
    return user


def _user_fixture(username: str, role: str | None):
    """A fixture giving a staff user of that name with the role (None: no role at all)."""

    @pytest.fixture
    def user(db) -> User:
        return _user_with_role(username, role)

    return user


officer = _user_fixture("officer", PRIVACY_OFFICER)
staff_user = _user_fixture("staffer", STAFF)
auditor = _user_fixture("auditor", AUDITOR)
no_role_user = _user_fixture("norole", None)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _seed_again_after_a_flush(connection) -> None:
    """The rows the data migrations seed (purposes, the policy, deadline rules, templates...),
    written again when an earlier test with committed data has flushed them. Each data
    migration's function runs with today's models (new fields take their defaults)."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    from consents.models import Purpose

    if Purpose.objects.exists():
        return
    loader = MigrationLoader(connection)
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        plan += [node for node in loader.graph.forwards_plan(leaf) if node not in plan]
    for node in plan:
        if node[0] == "common":  # its RunPython operations install database functions, not rows
            continue
        with connection.schema_editor() as editor:
            for operation in loader.graph.nodes[node].operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, editor)  # type: ignore[arg-type]


@pytest.fixture
def committed_db(transactional_db):
    """Writes are committed, so other connections (pg_dump, a second role) see them.

    Afterwards the database is emptied with TRUNCATE, which the history guard refuses by design:
    the guards are lifted for that flush only (its post_migrate signal installs them again).
    pytest-django runs such tests after all others, which keep the migrations' seeded rows; the
    next such test seeds them again, so the order among them does not matter.
    """
    from django.db import connection

    from common.history_guard import install_guards, remove_guards

    install_guards()
    _seed_again_after_a_flush(connection)
    yield
    # The flush empties the project's tables only: jobs this test queued and no worker ran would
    # be run by the next test's workers (mail to its SMTP sink). The queue is emptied too.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procrastinate_jobs, procrastinate_periodic_defers CASCADE")
    remove_guards()
    connection.close()  # a restored or re-roled session must not leak into the flush


class SecurityLogCapture(logging.Handler):
    """The security events of a test, formatted as production writes them (one JSON line each)."""

    def __init__(self) -> None:
        from common.security_log import JsonFormatter

        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def events(self, name: str | None = None) -> list[dict]:
        found = [json.loads(line) for line in self.lines]
        return [event for event in found if name is None or event["event"] == name]


@pytest.fixture
def security_log():
    """Captures the "derbes.security" logger (it does not propagate, so caplog can't see it)."""
    logger = logging.getLogger("derbes.security")
    capture = SecurityLogCapture()
    logger.addHandler(capture)
    yield capture
    logger.removeHandler(capture)


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in the default language: a page asked for in kk or ru leaves that
    language switched on in this thread, and a later test would read its messages in it."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _cache_cleared():
    """Each test starts with an empty cache: the desk caches its charts' figures, and a test
    counting queries must not depend on which test loaded the desk before it."""
    from django.core.cache import cache

    cache.clear()

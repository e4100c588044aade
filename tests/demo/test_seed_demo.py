import re
from collections.abc import Iterator
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from accounts.roles import AUDITOR, PRIVACY_OFFICER, STAFF, roles_sync
from consents.models import Consent, ConsentState
from demo.plans import plan_people
from demo.services import PASSWORD
from organisation.models import OperatorProfile
from processors.models import Processor
from requests.models import RequestKind, RequestStatus, SubjectRequest
from subjects.models import ContactHandle, Subject

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
DEMO_APPS = ("auth", "organisation", "subjects", "consents", "processors", "requests")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The demo seeded once for the tests that read it (seeding takes seconds): in a transaction
    around the module, rolled back after it; each test runs in a savepoint of its own inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed("--force")
        transaction.set_rollback(True)


def snapshot() -> dict[str, object]:
    """Every model's row count, and every row of the models the demo writes (history included)."""
    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    rows = {
        model._meta.label: sorted(model._default_manager.values_list(), key=repr)
        for model in apps.get_models()
        if model._meta.app_label in DEMO_APPS
    }
    return {"counts": counts, "rows": rows}


def test_the_plan_is_the_same_on_every_run():
    people = plan_people()

    assert people == plan_people()
    assert len({person.email for person in people}) == len(people) == 200


@pytest.mark.django_db
def test_seed_fills_every_register(seeded):
    subjects = Subject.objects.all()
    assert subjects.count() >= 200
    names = [" ".join(row) for row in subjects.values_list("last_name", "first_name", "patronymic")]
    assert any(KAZAKH_LETTERS & set(name) for name in names)
    assert any(name.endswith(("овна", "евна")) for name in names)  # Russian names too
    assert not subjects.exclude(email__endswith="@example.com").exists()
    phones = [phone for phone in subjects.values_list("phone", flat=True) if phone]
    assert phones
    assert all(re.fullmatch(r"\+7\d{10}", phone) for phone in phones)
    assert set(subjects.values_list("preferred_language", flat=True)) == {"kk", "ru", "en"}
    assert ContactHandle.objects.exists()
    assert OperatorProfile.objects.get().privacy_email == "privacy@example.org"

    consents = Consent.objects.all()
    assert consents.filter(state=ConsentState.GIVEN).exists()
    withdrawn = consents.filter(state=ConsentState.WITHDRAWN)
    assert withdrawn.exists()
    assert not withdrawn.filter(withdrawn_at=None).exists()
    assert not withdrawn.filter(withdrawal_channel="").exists()
    assert consents.filter(cross_border_transfer=True).exclude(cross_border_countries="").exists()
    # A withdrawn consent stays as evidence beside the one given again later.
    regiven = {(c.subject_id, c.purpose_id) for c in withdrawn} & set(
        consents.filter(state=ConsentState.GIVEN).values_list("subject_id", "purpose_id")
    )
    assert regiven

    assert Processor.objects.filter(stores_data_in_kazakhstan=True, country="KZ").exists()
    abroad = Processor.objects.filter(stores_data_in_kazakhstan=False)
    assert {"US", "DE"} <= {processor.country.code for processor in abroad}
    assert not Processor.objects.filter(purposes=None).exists()

    requests = SubjectRequest.objects.all()
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(requests.values_list("kind", flat=True)) == set(RequestKind.values)
    assert len(set(requests.values_list("channel", flat=True))) >= 3
    assert requests.filter(subject__isnull=False).exists()
    assert requests.filter(assignee__username="staff").exists()
    assert not requests.filter(status=RequestStatus.REFUSED, refusal_reason="").exists()
    assert any(not subject_request.is_complete for subject_request in requests)


@pytest.mark.django_db
def test_completed_withdrawals_withdrew_the_subjects_consents(seeded):
    done = SubjectRequest.objects.filter(
        kind__in=(RequestKind.WITHDRAWAL, RequestKind.UNSUBSCRIBE),
        status=RequestStatus.COMPLETED,
        subject__isnull=False,
    )
    assert done.exists()
    for subject_request in done:
        withdrawn = Consent.objects.filter(
            subject=subject_request.subject, state=ConsentState.WITHDRAWN
        )
        assert withdrawn.filter(withdrawn_at__gt=subject_request.received_at).exists(), (
            subject_request
        )


@pytest.mark.django_db
def test_demo_users_log_in_with_the_printed_password(seeded, client):
    output = seeded

    assert "http://127.0.0.1:8000/admin/" in output
    for username, role in (("officer", PRIVACY_OFFICER), ("staff", STAFF), ("auditor", AUDITOR)):
        assert f"Login: {username}  Password: {PASSWORD}  ({role})" in output
        user = User.objects.get(username=username)
        assert user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [role]
        # django-axes checks every authentication against its lockouts: it needs the request.
        assert client.login(request=HttpRequest(), username=username, password=PASSWORD)
    assert User.objects.get(username="officer").is_superuser
    assert not User.objects.filter(username__in=("staff", "auditor"), is_superuser=True).exists()


@pytest.mark.django_db
def test_history_names_the_officer_and_the_reason(seeded):
    officer = User.objects.get(username="officer")

    for model in (Subject, ContactHandle, Consent, Processor, SubjectRequest, OperatorProfile):
        history = model.history.all()
        assert history.exists(), model
        assert not history.exclude(history_user=officer).exists(), model
        assert not history.exclude(history_change_reason__startswith="Demo data").exists(), model
    assert Subject.history.filter(history_type="+").count() == Subject.objects.count()


@pytest.mark.django_db
def test_second_run_changes_no_row_and_adds_no_history(seeded, settings):
    before = snapshot()
    with CaptureQueriesContext(connection) as roles:
        roles_sync()
    settings.DEBUG = True  # the demo's own settings: no --force needed

    with CaptureQueriesContext(connection) as rerun:
        output = seed()

    assert snapshot() == before
    assert "Password:" in output
    assert "(0 new)" in output
    # Apart from syncing the roles, a rerun only looks things up: a few queries, not one per row.
    assert len(rerun) - len(roles) <= 25


@pytest.mark.django_db
def test_refuses_to_run_without_debug_unless_forced():
    before = snapshot()  # the module's seeded demo may be there already

    with pytest.raises(CommandError, match="DEBUG is off"):
        seed()

    assert snapshot() == before

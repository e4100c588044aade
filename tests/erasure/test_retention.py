import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from common.history import save_with_history
from consents import services as consent_services
from consents.models import Consent, WithdrawalChannel
from erasure.retention import apply_retention, requests_forget, retention_candidates
from subjects.models import Subject
from tests.consents.factories import ConsentFactory, purpose
from tests.requests.factories import SubjectRequestFactory
from tests.subjects.factories import SubjectFactory

TODAY = timezone.localdate()


def _withdrawn(code: str, days_ago: int, **subject_fields) -> Subject:
    consent: Consent = ConsentFactory.create(
        purpose=purpose(code), **{f"subject__{k}": v for k, v in subject_fields.items()}
    )
    consent_services.consent_withdraw(
        subject=consent.subject,
        purposes=None,
        channel=WithdrawalChannel.LETTER,
        actor=None,
        reason="test",
        withdrawn_at=timezone.now() - timedelta(days=days_ago),
    )
    return consent.subject


def _set_retention(code: str, days: int | None) -> None:
    target = purpose(code)
    target.retention_days = days
    save_with_history(target, actor=None, reason="test")


@pytest.fixture
def population(db, settings):
    settings.ERASURE_JOURNAL_PATH = settings.BASE_DIR / "var" / "test-journal.jsonl"
    _set_retention("feedback", 30)
    return {
        "ended": _withdrawn("feedback", days_ago=45),
        "in_retention": _withdrawn("feedback", days_ago=10),
        "live": ConsentFactory(purpose=purpose("newsletter")).subject,
        "expired": ConsentFactory(
            purpose=purpose("product_research"), valid_until=TODAY - timedelta(days=2)
        ).subject,
        "held": _held(),
        "open_request": _with_open_request(),
    }


def _held() -> Subject:
    subject = _withdrawn("feedback", days_ago=400)
    contract: Consent = ConsentFactory.create(subject=subject, purpose=purpose("contracts"))
    consent_services.consent_withdraw(
        subject=subject, purposes=None, channel=WithdrawalChannel.LETTER, actor=None, reason="t",
        withdrawn_at=timezone.now() - timedelta(days=400),
    )  # fmt: skip
    contract.refresh_from_db()
    consent_services.consent_legal_hold_set(
        consent=contract, legal_hold=True, legal_hold_reason="Tax records for 5 years",
        actor=None, reason="t",
    )  # fmt: skip
    return subject


def _with_open_request() -> Subject:
    subject = _withdrawn("feedback", days_ago=400)
    SubjectRequestFactory(subject=subject, status="in_progress")
    return subject


def test_candidates_are_exactly_those_whose_every_purpose_ran_out(population):
    found = {c.subject_id: c.reason for c in retention_candidates()}

    assert set(found) == {population["ended"].pk, population["expired"].pk}
    assert "retention ran out" in found[population["ended"].pk]


def test_the_dry_run_lists_and_changes_nothing(population, capsys):
    call_command("apply_retention", "--dry-run", "--json")

    result = json.loads(capsys.readouterr().out)
    assert {item["id"] for item in result["subjects"]} == {
        population["ended"].pk, population["expired"].pk,
    }  # fmt: skip
    assert not Subject.objects.filter(state="erased").exists()


def test_retention_erases_the_candidates_through_the_erasure_service(population):
    report = apply_retention()

    erased = set(Subject.objects.filter(state="erased").values_list("pk", flat=True))
    assert erased == set(report.erased) == {population["ended"].pk, population["expired"].pk}
    assert Subject.objects.get(pk=population["ended"].pk).email is None
    assert Subject.objects.get(pk=population["held"].pk).state == "active"


def test_someone_who_never_consented_is_forgotten_after_the_idle_period(db, settings):
    settings.RETENTION_WITHOUT_CONSENT_DAYS = 30
    idle = SubjectFactory()
    Subject.objects.filter(pk=idle.pk).update(updated_at=timezone.now() - timedelta(days=31))
    SubjectFactory()  # recent: kept

    assert [c.subject_id for c in retention_candidates()] == [idle.pk]


def test_closed_requests_forget_the_requester_after_their_period(db, settings):
    settings.REQUEST_RETENTION_DAYS = 30
    answered = timezone.now() - timedelta(days=40)
    old = SubjectRequestFactory(
        status="completed", answered_at=answered, requester_last_name="Беков"
    )
    recent = SubjectRequestFactory(
        status="completed", answered_at=answered, requester_last_name="Сидоренко"
    )
    open_old = SubjectRequestFactory(status="in_progress", requester_last_name="Ахметов")
    long_ago = timezone.now() - timedelta(days=40)
    type(old).objects.filter(pk__in=[old.pk, open_old.pk]).update(updated_at=long_ago)

    assert requests_forget() == 1
    assert requests_forget() == 0  # already forgotten: nothing to do again

    old.refresh_from_db()
    recent.refresh_from_db()
    open_old.refresh_from_db()
    assert (old.requester_last_name, old.content, old.kind) == ("", "", "access")
    assert old.history.get().requester_last_name == ""
    assert recent.requester_last_name == "Сидоренко"
    assert open_old.requester_last_name == "Ахметов"

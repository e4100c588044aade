"""The public unsubscribe endpoints: a bounded, constant number of statements per request, and
the one-click POST's one statement writing what the services write (bench/README.md has why)."""

import importlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.history_display import UNSUBSCRIBE_REASON
from consents.models import (
    Consent,
    ConsentState,
    SuppressionEntry,
    SuppressionReason,
    WithdrawalChannel,
)
from consents.services import consent_withdraw
from consents.suppression import is_suppressed
from consents.unsubscribe import unsubscribe_token
from tests.consents.factories import ConsentFactory, purpose
from tests.organisation.factories import OperatorProfileFactory

ONE_CLICK = "List-Unsubscribe=One-Click"
FORM = "application/x-www-form-urlencoded"


def _path(consent: Consent) -> str:
    token = unsubscribe_token(subject=consent.subject, purpose=consent.purpose)
    return reverse("unsubscribe", args=[token])


def _consent(n: int, code: str = "newsletter", **kwargs: object) -> Consent:
    return ConsentFactory(  # type: ignore[return-value]
        purpose=purpose(code),
        subject__email=f"person{n}@example.kz",
        subject__phone=f"+7701555{n:04d}",
        **kwargs,
    )


def _statements(method: str, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        if method == "get":
            response = Client().get(path)
        else:
            response = Client().post(path, ONE_CLICK, content_type=FORM)
    return response.status_code, [q["sql"] for q in queries]


@pytest.mark.django_db
def test_each_public_request_costs_the_same_few_statements():
    OperatorProfileFactory()
    first, second, third = (_consent(n) for n in range(3))
    Client().get(_path(third))  # reads the operator's profile, kept for a minute

    for consent in (first, second):
        status, get = _statements("get", _path(consent))
        assert status == 200
        assert len(get) == 1, get  # subject, purpose and "still live?" in one query
        status, post = _statements("post", _path(consent))
        assert status == 200
        # The same query, then one statement that withdraws, suppresses and writes history;
        # no BEGIN, savepoint or COMMIT: a single statement is atomic by itself.
        assert len(post) == 2, post
        assert post[1].startswith("WITH withdrawn AS (UPDATE")
        # A repeated click costs the same and writes nothing.
        assert len(_statements("post", _path(consent))[1]) == 2


@pytest.mark.django_db
def test_the_operators_profile_is_read_again_once_it_changes():
    operator = OperatorProfileFactory()
    consent = _consent(1)
    Client().get(_path(consent))

    operator.privacy_email = "dpo@example.kz"
    operator.save()
    _status, get = _statements("get", _path(consent))

    assert len(get) == 2  # the profile again, then the target
    assert "dpo@example.kz" in Client().get(_path(consent)).text


@pytest.mark.django_db
def test_the_one_statement_writes_what_the_services_write():
    """The same rows and history rows as consent_withdraw and suppression_add, field by field."""
    by_services, by_link = _consent(1), _consent(2)
    consent_withdraw(
        subject=by_services.subject,
        purposes=[by_services.purpose],
        channel=WithdrawalChannel.UNSUBSCRIBE_LINK,
        actor=None,
        reason=UNSUBSCRIBE_REASON,
    )
    services_entries = set(SuppressionEntry.objects.values_list("pk", flat=True))

    response = Client().post(_path(by_link), ONE_CLICK, content_type=FORM)

    assert response.status_code == 200
    for consent in (by_services, by_link):
        consent.refresh_from_db()
    differ = {"id", "subject", "subject_id", "given_at", "created_at", "withdrawn_at"}
    assert _values(by_link, differ) == _values(by_services, differ)
    assert by_link.state == ConsentState.WITHDRAWN
    assert by_link.withdrawal_channel == WithdrawalChannel.UNSUBSCRIBE_LINK
    history_differ = differ | {"history_id", "history_date"}
    services_history = by_services.history.get(history_type="~")
    link_history = by_link.history.get(history_type="~")
    assert _values(link_history, history_differ) == _values(services_history, history_differ)
    assert (link_history.history_type, link_history.history_change_reason) == (
        "~",
        UNSUBSCRIBE_REASON,
    )
    assert link_history.history_user is None
    assert link_history.withdrawn_at == by_link.withdrawn_at
    assert link_history.history_date == by_link.withdrawn_at
    # Suppression: the e-mail and the phone, each with a "+" history row like the service's.
    link_entries = SuppressionEntry.objects.exclude(pk__in=services_entries).order_by("kind")
    services = SuppressionEntry.objects.filter(pk__in=services_entries).order_by("kind")
    assert [e.kind for e in link_entries] == [e.kind for e in services] == ["email", "phone"]
    entry_differ = {"id", "digest", "created_at", "history_id", "history_date"}
    for ours, theirs in zip(link_entries, services, strict=True):
        assert _values(ours, entry_differ) == _values(theirs, entry_differ)
        assert _values(ours.history.get(), entry_differ) == _values(
            theirs.history.get(), entry_differ
        )
        assert ours.history.get().history_change_reason == "Unsubscribed"
    assert is_suppressed(email="person2@example.kz")
    assert is_suppressed(phone="8 701 555 0002")


def _values(row: object, leave_out: set[str]) -> dict[str, object]:
    return {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields  # type: ignore[attr-defined]
        if f.name not in leave_out and f.attname not in leave_out
    }


@pytest.mark.django_db
def test_a_purpose_that_is_not_marketing_is_withdrawn_without_suppression():
    consent = _consent(1, code="feedback")

    response = Client().post(_path(consent), ONE_CLICK, content_type=FORM)

    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.state == ConsentState.WITHDRAWN
    assert consent.history.filter(history_type="~").count() == 1
    assert not SuppressionEntry.objects.exists()


@pytest.mark.django_db
def test_a_click_after_a_withdrawal_elsewhere_still_suppresses_and_changes_no_consent():
    consent = _consent(
        1, state=ConsentState.WITHDRAWN, withdrawn_at=timezone.now(), withdrawal_channel="letter"
    )
    page = Client().get(_path(consent))
    assert "<form" not in page.text  # nothing left to withdraw: the page says it is done

    response = Client().post(_path(consent), ONE_CLICK, content_type=FORM)

    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawal_channel == "letter"
    assert not consent.history.filter(history_type="~").exists()
    assert SuppressionEntry.objects.filter(reason=SuppressionReason.UNSUBSCRIBED).count() == 2
    assert SuppressionEntry.history.filter(history_type="+").count() == 2


@pytest.fixture
def seeded(committed_db):
    """The seeded purposes again: the flush after an earlier committed test removed them."""
    from django.apps import apps

    seed = importlib.import_module("consents.migrations.0002_seed_purposes")
    seed.seed_purposes(apps, None)


CLICKS = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_clicks_on_one_link_withdraw_and_suppress_once(seeded):
    consent = _consent(1)
    path = _path(consent)
    start = threading.Barrier(CLICKS)

    def click(_n: int) -> int:
        try:
            start.wait(timeout=30)
            return Client().post(path, ONE_CLICK, content_type=FORM).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CLICKS) as pool:
        answers = list(pool.map(click, range(CLICKS)))

    assert answers == [200] * CLICKS
    consent.refresh_from_db()
    assert consent.state == ConsentState.WITHDRAWN
    assert consent.history.filter(history_type="~").count() == 1
    assert SuppressionEntry.objects.count() == 2
    assert SuppressionEntry.history.count() == 2


@pytest.mark.django_db
def test_a_link_to_a_purpose_the_subject_never_consented_to_still_unsubscribes():
    consent = _consent(1, code="feedback")
    token = unsubscribe_token(subject=consent.subject, purpose=purpose("direct_marketing"))

    page = Client().get(reverse("unsubscribe", args=[token]))
    response = Client().post(reverse("unsubscribe", args=[token]), ONE_CLICK, content_type=FORM)

    assert page.status_code == response.status_code == 200
    assert "<form" not in page.text  # nothing live to withdraw
    consent.refresh_from_db()
    assert consent.state == ConsentState.GIVEN  # another purpose: untouched
    assert SuppressionEntry.objects.count() == 2  # a marketing purpose: "never" all the same

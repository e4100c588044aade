"""The mailing list streams a million people: one read in chunks and two loads of the
suppression list, whatever its length, and the same links and checks as one by one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.contact_digests import stored_contact_digester
from consents.exports import mailing_list_rows
from consents.suppression import suppression_add, suppression_digest
from consents.unsubscribe import unsubscribe_links_maker, unsubscribe_url
from tests.consents.factories import ConsentFactory, purpose


def _queries(count: int) -> int:
    newsletter = purpose("newsletter")
    for _n in range(count):
        ConsentFactory(purpose=newsletter)
    with CaptureQueriesContext(connection) as queries:
        rows = list(mailing_list_rows(purpose=newsletter))
    assert len(rows) >= count
    return len(queries)


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_two_people_or_twelve():
    few = _queries(2)
    more = _queries(10)

    assert few == more <= 5


@pytest.mark.django_db
def test_each_row_carries_the_same_link_as_one_made_alone():
    newsletter = purpose("newsletter")
    subject = ConsentFactory(purpose=newsletter, subject__email="a@example.com").subject

    (row,) = list(mailing_list_rows(purpose=newsletter))

    assert row == (
        "a@example.com", subject.last_name, subject.first_name, subject.patronymic,
        subject.preferred_language, unsubscribe_url(subject=subject, purpose=newsletter),
    )  # fmt: skip
    assert unsubscribe_links_maker(purpose=newsletter)([subject.pk])[0] == row[-1]


@pytest.mark.django_db
def test_a_stored_phone_hashes_as_the_suppression_list_hashes_it_typed():
    (entry,) = suppression_add(phone="8 (701) 000-00-77", reason="withdrawn", actor=None)

    phone_digest = stored_contact_digester("phone")
    assert phone_digest("+77010000077") == entry.digest
    assert phone_digest("+77010000077") == suppression_digest(
        kind="phone", value="+7 701 000 00 77"
    )
    # An e-mail is normalised as suppression_digest normalises it.
    assert stored_contact_digester("email")(" A@Example.KZ") == suppression_digest(
        kind="email", value="a@example.kz"
    )


@pytest.mark.django_db
def test_a_withdrawal_locks_its_consent_and_not_the_purpose_every_unsubscribe_shares():
    from consents import services

    newsletter = purpose("newsletter")
    subject = ConsentFactory(purpose=newsletter).subject

    with CaptureQueriesContext(connection) as queries:
        services.consent_withdraw(
            subject=subject, purposes=[newsletter], channel="unsubscribe_link", actor=None,
            reason="test",
        )  # fmt: skip

    (locking,) = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert locking.endswith('FOR UPDATE OF "consents_consent"')

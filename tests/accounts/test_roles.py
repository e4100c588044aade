import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import AUDITOR, PRIVACY_OFFICER, STAFF, roles_sync
from consents.models import Consent
from subjects.models import Subject
from tests.consents.factories import ConsentFactory
from tests.processors.factories import ProcessorFactory
from tests.requests.factories import SubjectRequestFactory
from tests.subjects.factories import SubjectFactory


@pytest.mark.django_db
def test_setup_roles_is_idempotent_and_resets_drifted_permissions():
    call_command("setup_roles")
    staff = Group.objects.get(name=STAFF)
    before = set(staff.permissions.values_list("codename", flat=True))
    staff.permissions.clear()

    call_command("setup_roles")
    call_command("setup_roles")

    assert Group.objects.filter(name__in=[PRIVACY_OFFICER, STAFF, AUDITOR]).count() == 3
    assert set(staff.permissions.values_list("codename", flat=True)) == before


@pytest.mark.django_db
def test_staff_may_not_delete_evidence():
    roles_sync()
    staff = set(Group.objects.get(name=STAFF).permissions.values_list("codename", flat=True))

    assert {"add_subject", "change_subject", "add_consent", "change_subjectrequest"} <= staff
    assert not staff & {"delete_subject", "delete_consent", "delete_subjectrequest"}
    assert not staff & {"change_purpose", "change_processor", "change_policyversion"}


def _admin(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def registers(db):
    consent = ConsentFactory()
    return {
        "subject": consent.subject,
        "consent": consent,
        "processor": ProcessorFactory(),
        "request": SubjectRequestFactory(subject=consent.subject),
    }


def _reach(client, registers) -> dict[str, int]:
    """The status each page answers for the logged-in user."""
    subject, consent = registers["subject"], registers["consent"]
    processor, subject_request = registers["processor"], registers["request"]
    pages = {
        "subject list": _admin(Subject, "changelist"),
        "subject add": _admin(Subject, "add"),
        "subject history": _admin(Subject, "history", subject.pk),
        "subject delete": _admin(Subject, "delete", subject.pk),
        "consent add": _admin(Consent, "add"),
        "consent delete": _admin(Consent, "delete", consent.pk),
        "processor change": _admin(processor, "change", processor.pk),
        "processor add": _admin(processor, "add"),
        "request change": _admin(subject_request, "change", subject_request.pk),
        "request history": _admin(subject_request, "history", subject_request.pk),
    }
    return {name: client.get(url).status_code for name, url in pages.items()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        (
            "officer",
            {
                **dict.fromkeys(
                    [
                        "subject list", "subject add", "subject history", "consent add",
                        "processor change", "processor add", "request change", "request history",
                    ],
                    200,
                ),
                # Nobody deletes personal data or evidence: subjects are erased, consents withdrawn.
                "subject delete": 403,
                "consent delete": 403,
            },
        ),
        (
            "staff_user",
            {
                "subject list": 200, "subject add": 200, "subject history": 200,
                "subject delete": 403, "consent add": 200, "consent delete": 403,
                "processor change": 200, "processor add": 403, "request change": 200,
                "request history": 200,
            },
        ),
        (
            "auditor",
            {
                "subject list": 200, "subject add": 403, "subject history": 200,
                "subject delete": 403, "consent add": 403, "consent delete": 403,
                "processor change": 200, "processor add": 403, "request change": 200,
                "request history": 200,
            },
        ),
        (
            "no_role_user",
            {
                "subject list": 403, "subject add": 403, "subject history": 403,
                "subject delete": 403, "consent add": 403, "consent delete": 403,
                "processor change": 403, "processor add": 403, "request change": 403,
                "request history": 403,
            },
        ),
    ],
)  # fmt: skip
def test_each_role_reaches_exactly_its_pages(request, client, registers, user_fixture, expected):
    client.force_login(request.getfixturevalue(user_fixture))

    assert _reach(client, registers) == expected


@pytest.mark.django_db
def test_auditor_sees_a_read_only_page_and_cannot_post_changes(client, auditor):
    subject = SubjectFactory(city="Алматы")
    client.force_login(auditor)

    page = client.get(_admin(Subject, "change", subject.pk))
    response = client.post(
        _admin(Subject, "change", subject.pk),
        {"city": "Астана", "source": subject.source, "change_reason": "try"},
    )

    assert 'name="city"' not in page.text
    assert response.status_code == 403
    subject.refresh_from_db()
    assert subject.city == "Алматы"


def test_the_readme_role_table_is_the_one_generated_from_the_roles_module():
    from pathlib import Path

    from django.conf import settings

    from accounts.management.commands.document_roles import readme_with_table

    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")

    assert readme_with_table(readme) == readme


def test_document_roles_check_fails_when_the_readme_differs(tmp_path):
    from django.core.management.base import CommandError

    from accounts.management.commands.document_roles import END, START

    stale = tmp_path / "README.md"
    stale.write_text(f"# Roles\n{START}| old | table |\n{END}", encoding="utf-8")

    with pytest.raises(CommandError, match="differs"):
        call_command("document_roles", "--check", "--readme", str(stale))
    call_command("document_roles", "--readme", str(stale))
    call_command("document_roles", "--check", "--readme", str(stale))
    assert "| Data subjects (`subjects.subject`) | add, change, view |" in stale.read_text()


def test_the_role_table_has_one_row_per_model_an_admin_or_a_domain_app_holds():
    from accounts.roles import ROLE_TABLE, tabled_models

    assert sorted(ROLE_TABLE) == tabled_models()


@pytest.mark.django_db
def test_each_group_holds_exactly_the_permissions_of_the_table():
    from accounts.roles import role_permissions

    roles_sync()

    for role, wanted in role_permissions().items():
        held = Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
        assert set(held) == wanted, role


def test_the_auditor_may_only_view_and_never_sees_decrypted_data():
    from accounts.roles import role_permissions

    auditor = role_permissions()[AUDITOR]

    assert {codename.split("_")[0] for _app, codename in auditor} == {"view"}
    assert ("subjects", "view_agreement_data") not in auditor

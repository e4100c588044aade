"""Every admin action and every hidden POST, per role, against the one role table.

An action is offered to a role exactly when the table (accounts/roles.py) grants the permission
the action declares; a POST of an action or a page the role may not use writes nothing (not one
row in any table) and sends nothing.
"""

import re
from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.roles import AUDITOR, PRIVACY_OFFICER, ROLE_TABLE, STAFF
from subjects.admin_inlines import subject_list_actions
from subjects.models import ContactHandle, Subject
from tests.security.admin_urls import admin_pages, one_of_each, role_perms
from tests.security.fingerprint import database_fingerprint
from tests.subjects.factories import ContactHandleFactory

ROLES = {"officer": PRIVACY_OFFICER, "staff_user": STAFF, "auditor": AUDITOR, "no_role_user": None}

# The permission behind each action's custom permission name (has_<name>_permission).
CUSTOM_ACTION_PERMISSIONS = {
    ("consents.consent", "send_receipt"): "consents.send_consent_receipt",
    ("consents.purpose", "export_mailing_list"): "consents.export_mailing_list",
    ("subjects.subject", "erase"): "erasure.erase_subject",
}

# What an intermediate page of any action asks for, so that a POST would act if it were allowed.
ACTION_FORM = {
    "confirm": "1", "post": "yes", "reason": "hidden POST", "channel": "letter",
    "ground": "contrary_to_law", "detail": "hidden POST", "confirm_irreversible": "on",
}  # fmt: skip


def _actions() -> list[tuple[Any, str, tuple[str, ...]]]:
    """(model, action name, declared permission names) of every action of every admin."""
    found = []
    registry: dict[Any, Any] = admin.site._registry
    for model, model_admin in registry.items():
        for func, name, _description in model_admin._get_base_actions():
            found.append((model, name, tuple(getattr(func, "allowed_permissions", ()))))
        if model is Subject:
            for func, _permission in subject_list_actions:
                found.append((model, func.__name__, tuple(func.allowed_permissions)))  # type: ignore[attr-defined]
    return found


def _needed(model: Any, action: str, declared: tuple[str, ...]) -> set[str]:
    label = model._meta.label_lower
    app_label, model_name = label.split(".")
    return {
        f"{app_label}.{name}_{model_name}"
        if name in {"add", "change", "delete", "view"}
        else CUSTOM_ACTION_PERMISSIONS[(label, name)]
        for name in declared
    }


def _offered(client, model: Any) -> set[str]:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    if response.status_code != 200:
        return set()
    select = re.search(r'<select name="action".*?</select>', response.text, re.S)
    return set(re.findall(r'<option value="(\w+)"', select.group(0))) if select else set()


def test_every_admin_action_declares_the_permission_it_needs():
    undeclared = [(m._meta.label, name) for m, name, declared in _actions() if not declared]
    unknown = [
        (model._meta.label, name)
        for model, name, declared in _actions()
        for permission in declared
        if permission not in {"add", "change", "delete", "view"}
        and (model._meta.label_lower, permission) not in CUSTOM_ACTION_PERMISSIONS
    ]

    assert undeclared == []
    assert unknown == []


def test_no_action_is_available_to_a_view_only_permission():
    view_only = [
        (model._meta.label, name)
        for model, name, declared in _actions()
        if any(permission == "view" for permission in declared)
    ]

    assert view_only == []


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", list(ROLES))
def test_each_role_is_offered_exactly_the_actions_the_table_grants(
    request, client, officer, user_fixture
):
    one_of_each(officer)  # an empty list shows no actions
    perms = role_perms(ROLES[user_fixture])
    client.force_login(request.getfixturevalue(user_fixture))
    models = {model for model, _name, _declared in _actions()}

    offered = {(m._meta.label, name) for m in models for name in _offered(client, m)}

    expected = {
        (model._meta.label, name)
        for model, name, declared in _actions()
        if _needed(model, name, declared) <= perms
        and _holds_changelist(perms, model._meta.label_lower)
    }
    assert offered == expected


def _holds_changelist(perms: set[str], label: str) -> bool:
    app_label, model_name = label.split(".")
    return any(f"{app_label}.{verb}_{model_name}" in perms for verb in ("view", "change"))


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["staff_user", "auditor", "no_role_user"])
def test_a_posted_action_the_role_lacks_writes_and_sends_nothing(
    request, client, officer, mailoutbox, django_capture_on_commit_callbacks, user_fixture
):
    rows = one_of_each(officer)
    perms = role_perms(ROLES[user_fixture])
    client.force_login(request.getfixturevalue(user_fixture))
    refused = [
        (model, name)
        for model, name, declared in _actions()
        if not _needed(model, name, declared) <= perms and rows.get(model) is not None
    ]
    before = database_fingerprint()

    statuses = {}
    with django_capture_on_commit_callbacks(execute=True):
        for model, name in refused:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            data = {"action": name, "_selected_action": [rows[model].pk], **ACTION_FORM}
            statuses[(model._meta.label, name)] = client.post(url, data).status_code

    assert refused  # each of these roles lacks some action
    assert {key: status for key, status in statuses.items() if status >= 500} == {}
    assert database_fingerprint() == before
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_same_posts_do_act_for_the_privacy_officer(
    client, officer, mailoutbox, django_capture_on_commit_callbacks
):
    """Positive control of the test above: the POSTs are ones that act when allowed."""
    from tests.consents.factories import ConsentFactory

    consent = ConsentFactory(subject__email="receipt@example.org")
    client.force_login(officer)
    before = database_fingerprint()
    url = reverse("admin:consents_consent_changelist")

    selected = {"_selected_action": [consent.pk], **ACTION_FORM}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "send_receipt", **selected})
        client.post(url, {"action": "withdraw", **selected})

    assert [m.to for m in mailoutbox] == [["receipt@example.org"]]
    assert database_fingerprint() != before


@pytest.mark.django_db
def test_the_auditor_cannot_e_mail_a_consent_receipt(
    client, auditor, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.consents.factories import ConsentFactory

    consent = ConsentFactory(subject__email="olga@example.org")
    client.force_login(auditor)

    page = client.get(reverse("admin:consents_consent_changelist")).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:consents_consent_changelist"),
            {"action": "send_receipt", "_selected_action": [consent.pk]},
        )

    assert 'value="send_receipt"' not in page
    assert mailoutbox == []


# The permission a POST to each kind of page needs; any other page (custom views, the history
# version, which nobody may post to) must write nothing for a role without the model's change
# permission.
POST_NEEDS = {"add": "add", "change": "change", "delete": "delete", "import": "add"}
HIDDEN_FORM = {"post": "yes", "change_reason": "hidden POST", "confirm": "1", "reason": "x"}


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", list(ROLES))
def test_hidden_posts_to_pages_the_role_may_not_use_write_nothing(
    request, client, officer, mailoutbox, django_capture_on_commit_callbacks, user_fixture
):
    rows = one_of_each(officer)
    perms = role_perms(ROLES[user_fixture])
    client.force_login(request.getfixturevalue(user_fixture))

    def allowed(page) -> bool:
        if page.model is None:
            return True  # site pages: the index, the user's own password
        app_label, model_name = page.model._meta.label_lower.split(".")
        verb = POST_NEEDS.get(page.view, "change")
        return page.view != "history_version" and f"{app_label}.{verb}_{model_name}" in perms

    pages = [page for page in admin_pages(rows) if not allowed(page)]
    before = database_fingerprint()

    statuses = {}
    with django_capture_on_commit_callbacks(execute=True):
        for page in pages:
            statuses[page.url] = client.post(page.url, HIDDEN_FORM).status_code

    assert {url: status for url, status in statuses.items() if status >= 500} == {}
    assert database_fingerprint() == before
    assert mailoutbox == []


@pytest.mark.django_db
def test_staff_cannot_delete_a_contact_handle_from_the_subject_page(client, staff_user):
    handle = ContactHandleFactory()
    subject = handle.subject
    client.force_login(staff_user)
    url = reverse("admin:subjects_subject_change", args=[subject.pk])
    page = client.get(url, {"edit": "1"})  # the form, as the Edit button opens it
    form = page.context["adminform"].form
    data = {
        **{k: v for k, v in form.initial.items() if v is not None and k != "photo"},
        "source": subject.source,
        "preferred_language": subject.preferred_language,
        "change_reason": "remove the handle",
        "handles-TOTAL_FORMS": "1",
        "handles-INITIAL_FORMS": "1",
        "handles-0-id": str(handle.pk),
        "handles-0-subject": str(subject.pk),
        "handles-0-kind": handle.kind,
        "handles-0-value": handle.value,
        "handles-0-DELETE": "on",
    }

    client.post(url, data)

    assert 'name="handles-0-value"' in page.text  # the handle is on the form
    assert 'name="handles-0-DELETE"' not in page.text
    assert ContactHandle.objects.filter(pk=handle.pk).exists()


@pytest.mark.parametrize(
    "label",
    [
        # A contact handle is the one exception: the privacy officer removes an outdated account,
        # and its removal forgets the value in its history too (subjects.services.handle_remove).
        "subjects.subject", "subjects.agreementdata",
        "consents.consent", "requests.subjectrequest", "requests.requestattachment",
        "requests.unreadablemessage", "processors.disclosure", "consents.suppressionentry",
        "erasure.erasurelog",
    ],
)  # fmt: skip
def test_nobody_deletes_personal_data_or_evidence(label):
    assert all("delete" not in ROLE_TABLE[label].of(role) for role in ROLES.values() if role)


# Everything any request action's form asks for, filled in as a confirmed submission.
REQUEST_ACTION_FORM = {
    "kind": "erasure", "subject": "Answer", "body": "Done.", "note": "x", "confirm": "on",
    "days": "5", "reason": "x", "sent_at": "2026-12-01T10:00", "purposes": ["1", "2"],
    "channel": "letter", "refusal_reason": "x", "last_name": "Changed",
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user_fixture", "names"),
    [("auditor", None), ("no_role_user", None), ("staff_user", ["erase"])],
    ids=["auditor: every action", "no role: every action", "staff: erase"],
)
def test_the_one_click_actions_of_a_request_are_refused_to_a_role_without_them(
    request, client, mailoutbox, django_capture_on_commit_callbacks, user_fixture, names
):
    from requests.admin.actions import ACTIONS
    from requests.services.intake import requests_kind_confirm
    from tests.consents.factories import ConsentFactory
    from tests.requests.factories import SubjectRequestFactory

    officer = request.getfixturevalue("officer")
    consent = ConsentFactory()
    subject_request = SubjectRequestFactory(subject=consent.subject, kind="erasure")
    requests_kind_confirm(
        requests=subject_request.__class__.objects.filter(pk=subject_request.pk), actor=officer
    )
    client.force_login(request.getfixturevalue(user_fixture))
    before = database_fingerprint()

    statuses = {}
    with django_capture_on_commit_callbacks(execute=True):
        for name in names or ACTIONS:
            url = reverse("admin:requests_subjectrequest_act", args=[subject_request.pk, name])
            statuses[name] = client.post(url, REQUEST_ACTION_FORM).status_code

    assert set(statuses.values()) <= {302, 403}
    assert database_fingerprint() == before
    assert mailoutbox == []

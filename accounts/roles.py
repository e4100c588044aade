"""The three roles of the back-office, and the one table of what each may do.

`ROLE_TABLE` is the only place where a role's rights are written. The groups (`setup_roles`), the
README's table (`python manage.py document_roles`) and the role tests
(tests/security/test_role_matrix.py: every admin URL, action and hidden POST) all read it, so a
right that is granted, documented or tested differently fails CI.

Apps are named by label only: this module sits above every domain app and imports none of them.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

PRIVACY_OFFICER = "Privacy officer"
STAFF = "Staff"
AUDITOR = "Auditor"
ROLES = (PRIVACY_OFFICER, STAFF, AUDITOR)

# Apps whose every model needs a row of ROLE_TABLE, registered in the admin or not.
DOMAIN_APPS = (
    "common", "organisation", "subjects", "consents", "processors", "inquiries", "requests",
    "imports", "erasure", "incidents", "webforms",
)  # fmt: skip

# The four permissions Django gives every model; any other word in a cell is the codename of a
# custom permission of the model's app.
MODEL_ACTIONS = ("add", "change", "delete", "view")

# How the README names the custom permissions.
CUSTOM_WORDS = {
    "view_agreement_data": "see decrypted",
    "erase_subject": "erase subjects",
    "export_mailing_list": "export the mailing list",
    "send_consent_receipt": "e-mail receipts",
    "export_depersonalised": "export depersonalised",
}


@dataclass(frozen=True)
class Grant:
    """What each role may do with one model: space-separated permission words per role."""

    officer: str = ""
    staff: str = ""
    auditor: str = "view"
    note: str = ""

    def of(self, role: str) -> tuple[str, ...]:
        cell = {PRIVACY_OFFICER: self.officer, STAFF: self.staff, AUDITOR: self.auditor}[role]
        return tuple(cell.split())


# Nobody deletes personal data or evidence: subjects are erased (their row stays, blanked), consents
# withdrawn, requests closed. Service-written logs are read by all who may, written by none.
ACV = "add change view"
ROLE_TABLE: dict[str, Grant] = {
    # --- the operator -------------------------------------------------------------------------
    "organisation.operatorprofile": Grant("change view", "view",
                                          note="one profile, never added or deleted"),
    # --- data subjects ------------------------------------------------------------------------
    "subjects.subject": Grant(ACV, ACV, note="erased, never deleted (erasure: privacy officer)"),
    "subjects.contacthandle": Grant(
        "add change delete view", ACV,
        note="on the subject's page; a removed account is forgotten in its history too",
    ),
    "subjects.agreementdata": Grant(f"{ACV} view_agreement_data",
                                    note="the auditor and staff never see decrypted values"),
    "subjects.agreementdataaccess": Grant("view", note="log of decrypted views, append-only"),
    "subjects.subjectsearch": Grant(auditor="", note="the search's copy, kept by the database"),
    # --- consents -----------------------------------------------------------------------------
    "consents.purpose": Grant(f"{ACV} export_mailing_list", "view export_mailing_list",
                              note="retired with 'active', never deleted"),
    "consents.policyversion": Grant("add change delete view", "view",
                                    note="deleted only while no consent points at it"),
    "consents.consent": Grant(f"{ACV} send_consent_receipt export_depersonalised",
                              f"{ACV} send_consent_receipt export_depersonalised",
                              note="change = withdraw, record a refusal, legal hold"),
    "consents.withdrawalrefusal": Grant("view", "view",
                                        note="recorded by the consent list's action"),
    "consents.suppressionentry": Grant("view", note="filled by unsubscribe, withdrawal, erasure"),
    # --- processors ---------------------------------------------------------------------------
    "processors.processor": Grant(ACV, "view", note="ended with 'active to', never deleted"),
    "processors.disclosure": Grant(ACV, "view",
                                   note="staff read it to answer access requests"),
    "processors.transfernotice": Grant("change view", "change view",
                                       note="made by transfers; change = send, record, cancel"),
    "processors.personaldatalistversion": Grant("add change view", "view",
                                                note="change = approve, make current; kept"),
    "inquiries.authorityinquiry": Grant(ACV, "view",
                                        note="never deleted; the answer is added on its page"),
    # --- requests -----------------------------------------------------------------------------
    "requests.subjectrequest": Grant(ACV, ACV, note="closed, never deleted"),
    "requests.requestaction": Grant("view", "view", note="written by the request's actions"),
    "requests.requestpause": Grant("view", "view", note="written by the request's actions"),
    "requests.publicsourceremoval": Grant("view", "view",
                                          note="written by the request's actions (Art. 6)"),
    "requests.requestattachment": Grant("view", "view", note="kept from the letter"),
    "requests.requestreminder": Grant("view", note="written by remind_due_requests"),
    "requests.mailboxcursor": Grant("view", note="written by ingest_requests"),
    "requests.unreadablemessage": Grant("change view", "change view",
                                        note="change = try to read again; kept by intake"),
    "requests.deadlinerule": Grant("add change delete view", "view",
                                   note="staff read the periods they answer in"),
    "requests.answertemplate": Grant("add change delete view", "view",
                                     note="staff answer from them"),
    "common.calendarday": Grant("add change delete view", "view",
                                note="staff read the working days"),
    # --- imports and erasure ------------------------------------------------------------------
    "imports.importrun": Grant("add view", "add view", note="add = import an old mailing list"),
    "imports.rejectedrow": Grant("view", "view", note="downloaded from its import's page"),
    "imports.importupload": Grant(auditor="", note="the file of a previewed or queued import"),
    # --- site forms (Tilda) -------------------------------------------------------------------
    "webforms.tildaform": Grant(ACV, "view", note="a form's mapping, kept with its submissions"),
    "webforms.tildaconsentbox": Grant("add change delete view", "view", note="on the form's page"),
    "webforms.tildasubmission": Grant("change view", "change view",
                                      note="change = process again, accept proposed changes"),
    # --- breaches ---------------------------------------------------------------------------
    "incidents.incident": Grant("add change view", "add view",
                                note="staff open one; the privacy officer edits, notifies, closes"),
    "incidents.incidentmeasure": Grant("add view", "add view", note="a dated log, never changed"),
    "incidents.affectedsubject": Grant("view", note="personal data: every view is logged"),
    "incidents.notificationrule": Grant("add change delete view", "view",
                                        note="staff read the period they notify in"),
    "incidents.incidentreminder": Grant("view", note="written by remind_due_requests"),
    "erasure.erasurelog": Grant("view erase_subject", note="written by the erasure service"),
    "procrastinate.procrastinatejob": Grant("change view",
                                            note="change = retry a failed job (dead letter)"),
    # --- accounts and login -------------------------------------------------------------------
    "auth.user": Grant("view", note="accounts are kept by a superuser"),
    "auth.group": Grant("view", note="set by setup_roles"),
    "accounts.rolegrant": Grant("view", note="written when a role is given or taken away"),
    "otp_totp.totpdevice": Grant("view", note="a superuser deletes a lost phone's device"),
    "axes.accessattempt": Grant("delete view", note="delete = lift a lockout"),
    "axes.accesslog": Grant("view"),
    "axes.accessfailurelog": Grant("view"),
}  # fmt: skip


def _codename(label: str, word: str) -> tuple[str, str]:
    app_label, model_name = label.split(".")
    return app_label, f"{word}_{model_name}" if word in MODEL_ACTIONS else word


def role_permissions() -> dict[str, set[tuple[str, str]]]:
    """Role name -> {(app_label, codename)}, read from ROLE_TABLE."""
    return {
        role: {
            _codename(label, word) for label, grant in ROLE_TABLE.items() for word in grant.of(role)
        }
        for role in ROLES
    }


def tabled_models() -> list[str]:
    """Labels of the installed models the table must cover: every model an admin or a role can
    reach (history models excluded: their pages are the base model's)."""
    from django.contrib import admin

    registered = {model._meta.label_lower for model in admin.site._registry}
    domain = {
        model._meta.label_lower
        for app_label in DOMAIN_APPS
        if apps.is_installed(app_label)
        for model in apps.get_app_config(app_label).get_models()
        if not hasattr(model, "instance_type")
    }
    return sorted(registered | domain)


def roles_markdown() -> str:
    """The README's role table, generated from ROLE_TABLE."""
    from django.utils import translation

    def cell(grant: Grant, role: str) -> str:
        words = [CUSTOM_WORDS.get(word, word) for word in grant.of(role)]
        return ", ".join(words) or "—"

    lines = [
        f"| model | {PRIVACY_OFFICER} | {STAFF} | {AUDITOR} | note |",
        "| --- | --- | --- | --- | --- |",
    ]
    with translation.override("en"):
        for label, grant in ROLE_TABLE.items():
            model = apps.get_model(label)
            plural = str(model._meta.verbose_name_plural)
            name = f"{plural[:1].upper()}{plural[1:]} (`{label}`)"
            cells = " | ".join(cell(grant, role) for role in ROLES)
            lines.append(f"| {name} | {cells} | {grant.note} |")
    return "\n".join(lines) + "\n"


@transaction.atomic
def roles_sync() -> dict[str, int]:
    """Create or update the groups so each holds exactly its role's permissions. Idempotent."""
    counts = {}
    for role, wanted in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in sorted(wanted)
        ]
        group.permissions.set(permissions)
        counts[role] = len(permissions)
    return counts

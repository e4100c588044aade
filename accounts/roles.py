"""The three roles of the back-office as Django groups, and what each may do.

Apps are named by label only: this module sits above every domain app and imports none of them.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

PRIVACY_OFFICER = "Privacy officer"
STAFF = "Staff"
AUDITOR = "Auditor"

# common holds one editable register: the working-day calendar's exceptions.
DOMAIN_APPS = (
    "common", "organisation", "subjects", "consents", "processors", "requests", "imports",
    "erasure", "webforms",
)  # fmt: skip

# Staff keep the registers day to day; evidence (subjects, consents, requests) is never deleted.
STAFF_PERMISSIONS = {
    "subjects.subject": ("add", "change", "view"),
    "subjects.contacthandle": ("add", "change", "delete", "view"),
    "consents.consent": ("add", "change", "view"),
    "consents.purpose": ("view",),
    "consents.policyversion": ("view",),
    "processors.processor": ("view",),
    "processors.disclosure": ("view",),  # staff answer access requests: who received the data
    "organisation.operatorprofile": ("view",),
    "requests.subjectrequest": ("add", "change", "view"),
    # What a request's page shows, and what staff read but the privacy officer sets.
    "requests.requestaction": ("view",),
    "requests.requestpause": ("view",),
    "requests.requestattachment": ("view",),
    "requests.unreadablemessage": ("change", "view"),  # "try to read again"
    "requests.deadlinerule": ("view",),
    "requests.answertemplate": ("view",),
    "common.calendarday": ("view",),
    "imports.importrun": ("add", "view"),  # staff import old mailing lists
    # Site forms: staff read the mappings, re-run and accept submissions (change = the actions).
    "webforms.tildaform": ("view",),
    "webforms.tildaconsentbox": ("view",),
    "webforms.tildasubmission": ("change", "view"),
}


def _domain_models() -> list[str]:
    """Labels of the domain models (history models excluded: their pages use the base model's)."""
    return [
        model._meta.label_lower
        for app_label in DOMAIN_APPS
        for model in apps.get_app_config(app_label).get_models()
        if not hasattr(model, "instance_type")
    ]


def role_permissions() -> dict[str, set[tuple[str, str]]]:
    """Role name -> {(app_label, codename)}."""

    def perms(label: str, actions: tuple[str, ...]) -> set[tuple[str, str]]:
        app_label, model_name = label.split(".")
        return {(app_label, f"{action}_{model_name}") for action in actions}

    everything = set().union(
        *(perms(label, ("add", "change", "delete", "view")) for label in _domain_models())
    )
    view_all = set().union(*(perms(label, ("view",)) for label in _domain_models()))
    staff_accounts = {("auth", "view_user"), ("auth", "view_group")}
    # Decrypted agreement data is the privacy officer's alone (every view is logged); so is
    # lifting a login lockout, which the auditor may only read.
    lockouts = {("axes", "view_accessattempt"), ("axes", "view_accesslog")}
    sensitive = {("subjects", "view_agreement_data"), ("axes", "delete_accessattempt")} | lockouts
    return {
        # Erasure is irreversible: the privacy officer's alone.
        PRIVACY_OFFICER: everything | staff_accounts | {("erasure", "erase_subject")} | sensitive,
        STAFF: set().union(*(perms(label, acts) for label, acts in STAFF_PERMISSIONS.items())),
        AUDITOR: view_all | staff_accounts | lockouts,
    }


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

"""Every URL the admin site answers, with one real object behind each, and who may open it.

Shared by the header crawl, the role matrix and the two-factor tests. Nothing here is a list of
models kept by hand: pages come from `admin.site` itself (each ModelAdmin's get_urls, custom
views included), objects from tests/test_admin_pages.py's ROW_MAKERS. The status a role gets
follows from its permissions in accounts/roles.py; what can't be derived (admins that refuse
adding or deleting whatever the permissions, custom views) is pinned below. A custom view that
is pinned nowhere must at least refuse (403, or 404) every user without the view or change
permission of its model; with it, it may answer, redirect or find nothing (200, 302, 404).
"""

from collections.abc import Callable
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import models
from django.urls import URLPattern, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import role_permissions
from subjects.models import Subject
from tests.organisation.factories import OperatorProfileFactory


@dataclass(frozen=True)
class AdminPage:
    name: str  # URL name in the admin namespace
    url: str
    model: type[models.Model] | None
    view: str  # changelist, add, change, delete, history, history_version, export, ... or name
    refused: bool = False  # the admin refuses it for this object, whatever the permissions


# Views of a model admin whose status follows one model permission.
NEEDS = {
    "changelist": ("view", "change"),
    "change": ("view", "change"),
    "history": ("view", "change"),
    "history_version": ("view", "change"),
    "export": ("view",),
    "add": ("add",),
    "import": ("add",),
    "delete": ("delete",),
}

# Admins that refuse a view to everyone, whatever the permissions (model label, view).
REFUSED_TO_ALL = {
    ("organisation.operatorprofile", "add"),  # one profile, which exists already
    ("consents.withdrawalrefusal", "add"),  # recorded by a consent action only
    ("consents.suppressionentry", "add"),
    ("consents.suppressionentry", "delete"),  # deleting would re-admit the person
    # A person is forgotten by erasure only, never by deleting their rows (common.admin).
    ("subjects.subject", "delete"),
    ("subjects.agreementdata", "delete"),
    ("consents.consent", "delete"),
    ("consents.withdrawalrefusal", "delete"),
    ("subjects.agreementdataaccess", "add"),  # the access log is append-only
    ("subjects.agreementdataaccess", "delete"),
    ("processors.disclosure", "delete"),  # evidence of what left the operator
    ("requests.subjectrequest", "delete"),  # a request and what was done on it are evidence
    ("webforms.tildasubmission", "add"),  # only Tilda adds submissions
    ("webforms.tildasubmission", "delete"),  # evidence of consent: erasure blanks it
    ("requests.unreadablemessage", "add"),  # kept by mail intake only
    ("imports.importrun", "add"),  # written by the import service only
    ("imports.importrun", "delete"),
    ("erasure.erasurelog", "add"),  # written by the erasure service only
    ("erasure.erasurelog", "delete"),
    ("incidents.incident", "delete"),  # a breach and what was done about it are evidence
    ("incidents.affectedsubject", "add"),  # added on the incident's page, through its service
    ("axes.accessattempt", "add"),
    ("axes.accesslog", "add"),
    ("axes.accessfailurelog", "add"),
}

# ... and for the object at hand only.
REFUSED_FOR: dict[tuple[str, str], Callable[[models.Model], bool]] = {
    ("consents.policyversion", "delete"): lambda obj: obj.consents.exists(),  # type: ignore[attr-defined]  # evidence
}

# Custom views: the status for a user holding `perms` ("app.codename").
Rule = Callable[[set[str]], int]


def _if(permission: str) -> Rule:
    return lambda perms: 200 if permission in perms else 403


CUSTOM: dict[str, Rule] = {
    "consents_policyversion_outdated": _if("consents.view_policyversion"),
    "consents_consent_receipt": _if("consents.view_consent"),
    "processors_register": _if("processors.view_processor"),
    "processors_register_xlsx": _if("processors.view_processor"),
    "consents_policyversion_print": _if("consents.view_policyversion"),
    "processors_personaldatalistversion_print": _if("processors.view_personaldatalistversion"),
    "consents_consent_depersonalised": _if("consents.export_depersonalised"),
    "auth_user_persons_with_access": _if("auth.view_user"),
    "auth_user_password_change": _if("auth.change_user"),
    # TOTP secrets are never shown in the admin (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "otp_totp_totpdevice_config": lambda perms: 403,
    "otp_totp_totpdevice_qrcode": lambda perms: 403,
    # The breach register's steps: staff add measures; the privacy officer does the rest.
    "incidents_incident_measure": _if("incidents.add_incidentmeasure"),
    "incidents_incident_affected": _if("incidents.change_incident"),
    "incidents_incident_notify": _if("incidents.change_incident"),
    # Closing waits for the notice: the officer is sent back to the incident's page.
    "incidents_incident_close": lambda perms: 302 if "incidents.change_incident" in perms else 403,
    "incidents_incident_notice": _if("incidents.view_incident"),
    "incidents_incident_list": _if("incidents.view_affectedsubject"),  # the list is personal
}

# Site-wide pages (not a model's). app_list is derived: 200 with any permission in the app.
SITE: dict[str, Rule] = {
    "index": lambda perms: 200,
    "password_change": lambda perms: 200,
    "password_change_done": lambda perms: 200,
    "jsi18n": lambda perms: 200,
    "autocomplete": lambda perms: 403,  # without its query parameters
    # Two-factor pages send a user who needs no (more) verification on to the admin.
    "two_factor_verify": lambda perms: 302,
    "two_factor_enrol": lambda perms: 302,
}
SITE_SKIPPED = {"login", "logout", "view_on_site"}  # anonymous page; POST only; no public site

# Values for the URL parameters of custom views.
PARAMETERS = {"document": "personal-data", "language": "kk", "fmt": "csv"}


def _calendar_day(officer: User) -> None:
    from common.history import save_with_history
    from common.models import CalendarDay

    day = CalendarDay(date=timezone.localdate(), kind="day_off", note="Decree No. 1 (test)")
    day.full_clean()
    save_with_history(day, actor=officer, reason="test data")


def _erasure_log(officer: User) -> None:
    from erasure.models import ErasureLog
    from tests.subjects.factories import SubjectFactory

    # As the erasure service logs a refused erasure; a real erasure would also write its journal.
    ErasureLog.objects.create(subject=SubjectFactory(), outcome="refused", refusal_reason="test",  # type: ignore[misc]
                              reason="test", actor=officer)  # fmt: skip


# Admin models outside the domain apps of ROW_MAKERS (its own test keeps it to those apps).
def _background_job(officer: User) -> None:
    from common.tasks import send_email

    send_email.defer(raw="", from_email="a@example.org", to=["b@example.org"])


EXTRA_MAKERS: dict[str, Callable[[User], None]] = {
    "common.calendarday": _calendar_day,
    "erasure.erasurelog": _erasure_log,
    "procrastinate.procrastinatejob": _background_job,
}


def one_of_each(officer: User) -> dict[type[models.Model], models.Model | None]:
    """One row of every model registered in the admin (rows of others come along).

    A model nobody wrote a row maker for maps to None: its object pages can't be crawled, and
    test_every_admin_model_has_a_row_for_the_crawl names it.
    """
    from tests.test_admin_pages import ROW_MAKERS

    OperatorProfileFactory()
    for make in ROW_MAKERS.values():
        make(1, officer)
    for label, make_extra in EXTRA_MAKERS.items():
        if any(model._meta.label_lower == label for model in admin.site._registry):
            make_extra(officer)
    seen = {"ip_address": "203.0.113.9", "user_agent": "test", "attempt_time": timezone.now(),
            "http_accept": "", "path_info": "/"}  # fmt: skip
    AccessAttempt.objects.create(
        username="someone", failures_since_start=1, get_data="", post_data="", **seen
    )
    AccessLog.objects.create(username="officer", **seen)
    AccessFailureLog.objects.create(username="someone", locked_out=False, **seen)
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    rows: dict[type[models.Model], models.Model | None] = {
        User: officer,
        Group: Group.objects.order_by("pk").first(),
    }
    for model in admin.site._registry:
        if model not in rows:
            rows[model] = model._default_manager.order_by("pk").last()
    return rows


class _NoSuchPage(Exception):
    pass


def _parameters(pattern: URLPattern) -> list[str]:
    """Names of the URL's parameters (simple-history's regex URL has unnamed ones)."""
    if isinstance(pattern.pattern, RegexPattern):
        if pattern.name.endswith("_simple_history"):  # type: ignore[union-attr]
            return ["object_id", "history_id"]
        return list(pattern.pattern.regex.groupindex)
    return list(pattern.pattern.converters)


def _arguments(pattern: URLPattern, obj: models.Model, rows: dict) -> dict[str, object]:
    kwargs: dict[str, object] = {}
    for parameter in _parameters(pattern):
        if parameter in {"object_id", "pk"}:
            kwargs[parameter] = obj.pk
        elif parameter == "history_id":
            latest = obj.history.order_by("-history_id").first()  # type: ignore[attr-defined]
            if latest is None:
                raise _NoSuchPage  # a row seeded by a migration has no version to show
            kwargs[parameter] = latest.history_id
        elif parameter == "subject_id" and rows.get(Subject) is not None:
            kwargs[parameter] = rows[Subject].pk
        elif parameter in PARAMETERS:
            kwargs[parameter] = PARAMETERS[parameter]
        else:
            # Unknown to these tables: a number is taken as this object's, a slug as "test"
            # (the view may well find nothing: 404).
            converter = getattr(pattern.pattern, "converters", {}).get(parameter)
            kwargs[parameter] = obj.pk if isinstance(converter, IntConverter) else "test"
    return kwargs


def admin_pages(rows: dict[type[models.Model], models.Model]) -> list[AdminPage]:
    pages = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.get_urls():
            if not pattern.name or (rows[model] is None and _parameters(pattern)):
                continue  # the catch-all redirect of old admin URLs; an object we lack
            view = pattern.name.removeprefix(prefix)
            if pattern.name.endswith("_simple_history"):
                view = "history_version"
            obj = rows[model]
            try:
                arguments = _arguments(pattern, obj, rows)
            except _NoSuchPage:
                continue
            if isinstance(pattern.pattern, RegexPattern) and not pattern.pattern.regex.groupindex:
                url = reverse(f"admin:{pattern.name}", args=list(arguments.values()))
            else:
                url = reverse(f"admin:{pattern.name}", kwargs=arguments)
            refused = REFUSED_FOR.get((model._meta.label_lower, view), lambda obj: False)(obj)
            pages.append(AdminPage(pattern.name, url, model, view, refused))
    for pattern in admin.site.get_urls():  # type: ignore[assignment]
        name = getattr(pattern, "name", None)
        if name in SITE:
            pages.append(AdminPage(name, reverse(f"admin:{name}"), None, name))
        elif name == "app_list":
            for label in sorted({m._meta.app_label for m in admin.site._registry}):
                url = reverse("admin:app_list", kwargs={"app_label": label})
                pages.append(AdminPage(f"app_list:{label}", url, None, "app_list"))
        elif name and name not in SITE_SKIPPED:
            raise AssertionError(f"site-wide admin URL {name!r} is in no table of {__name__}")
    return pages


def _holds(perms: set[str], label: str, actions: tuple[str, ...]) -> bool:
    app_label, model_name = label.split(".")
    return any(f"{app_label}.{action}_{model_name}" in perms for action in actions)


def expected_statuses(page: AdminPage, perms: set[str]) -> frozenset[int]:
    """What a staff user holding `perms` ("app.codename") may get for a GET of the page."""
    return frozenset({status} if isinstance(status := _expected(page, perms), int) else status)


def _expected(page: AdminPage, perms: set[str]) -> int | frozenset[int]:
    if page.model is None:
        if page.view == "app_list":
            label = page.name.split(":", 1)[1]
            return 200 if any(p.startswith(f"{label}.") for p in perms) else 404
        return SITE[page.name](perms)
    label = page.model._meta.label_lower
    if (label, page.view) in REFUSED_TO_ALL or page.refused:
        return 403
    if page.view in NEEDS:
        return 200 if _holds(perms, label, NEEDS[page.view]) else 403
    if page.name in CUSTOM:
        return CUSTOM[page.name](perms)
    if _holds(perms, label, ("view", "change")):
        return frozenset({200, 302, 404})
    return frozenset({403, 404})


def role_perms(role: str | None) -> set[str]:
    if role is None:
        return set()
    return {f"{app}.{codename}" for app, codename in role_permissions()[role]}

"""The admin site: Django's, plus the two-factor pages, and no admin page without a second factor.

`TwoFactorRequiredMiddleware` sends an unverified user to the code page before any admin view
runs; `has_permission` refuses them as well, so a view wired past the middleware stays closed.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from accounts.admin_nav import register_name, register_urls
from common.admin_pickers import LabelledAutocompleteJsonView

# Input no admin view can serve, met deep inside one: a filter the export's list can't apply
# (the changelist itself turns it into "?e=1"), a date hierarchy year past datetime's range.
HOSTILE_INPUT = (IncorrectLookupParameters, OverflowError)

View = TypeVar("View", bound=Callable[..., Any])

# The registers in the order of the daily work; apps not named here follow in Django's order.
BUSINESS_APPS = (
    "requests", "subjects", "consents", "processors", "inquiries", "incidents", "webforms",
    "imports", "erasure", "organisation", "common",
)  # fmt: skip
# Who may log in and how: shown last, together, under one heading.
SECURITY_APPS = ("auth", "accounts", "otp_totp", "axes")
SECURITY_MODEL_NAMES = {
    "Group": _("Groups"),
    "User": _("Users"),
    "TOTPDevice": _("TOTP devices (second factor)"),
    "AccessAttempt": _("Failed login attempts"),
    "AccessFailureLog": _("Failed login log"),
    "AccessLog": _("Login log"),
}


def second_factor_missing(request: HttpRequest) -> bool:
    """Whether two-factor login is required and this logged-in user has not passed it yet."""
    user = request.user
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django_otp's OTPMiddleware
    return not (is_verified and is_verified())


class DerbesAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not second_factor_missing(request)

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        """Every admin view, with input it can't serve answered 400 Bad Request, not 500."""
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return guarded(request, *args, **kwargs)
            except HOSTILE_INPUT as error:
                raise BadRequest(str(error)) from error

        return cast(View, inner)

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        # Results named as the model's admin names them in pickers (common.admin_pickers).
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)  # type: ignore[return-value]

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        """Django's, but the list of every register is built when a page shows it (the navigation
        sidebar): the desk and the subject's page show none, and it was a tenth of their time."""
        script_name = request.META["SCRIPT_NAME"]
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": script_name if self.site_url == "/" and script_name else self.site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }

    def _build_app_dict(self, request: HttpRequest, label: Any = None) -> dict[str, Any]:
        """Django's, with each register's URLs reversed once per process (accounts.admin_nav);
        what the user may do with each register is asked on every call, as Django does."""
        app_dict: dict[str, Any] = {}
        urls = register_urls(self.name)
        for model, model_admin in self._registry.items():
            app_label, model_name = model._meta.app_label, str(model._meta.model_name)
            if label and app_label != label:
                continue
            if not model_admin.has_module_permission(request):
                continue
            perms = model_admin.get_model_perms(request)
            if True not in perms.values():
                continue
            changelist_url, add_url, app_url = urls(app_label, model_name)
            model_dict: dict[str, Any] = {
                "model": model,
                # Text, not a lazy translation: Django sorts the registers by name, and
                # compared lazily each comparison translated both names again (~2 ms a page).
                "name": register_name(model),
                "object_name": model._meta.object_name,
                "perms": perms,
                "admin_url": None,
                "add_url": add_url if perms.get("add") else None,
            }
            if perms.get("change") or perms.get("view"):
                model_dict["view_only"] = not perms.get("change")
                model_dict["admin_url"] = changelist_url
            if app_label in app_dict:
                app_dict[app_label]["models"].append(model_dict)
            else:
                app_dict[app_label] = {
                    "name": apps.get_app_config(app_label).verbose_name,
                    "app_label": app_label,
                    "app_url": app_url,
                    "has_module_perms": True,
                    "models": [model_dict],
                }
        return app_dict

    def get_app_list(
        self, request: HttpRequest, app_label: str | None = None
    ) -> list[dict[str, Any]]:
        """Business registers first, in the order of the work; the technical ones last, as one."""
        apps = super().get_app_list(request, app_label)
        for app in apps:
            if app["app_label"] in SECURITY_APPS:
                for model in app["models"]:
                    model["name"] = SECURITY_MODEL_NAMES.get(model["object_name"], model["name"])
        if app_label is not None:
            return apps
        business = [app for app in apps if app["app_label"] not in SECURITY_APPS]
        order = {label: index for index, label in enumerate(BUSINESS_APPS)}
        business.sort(key=lambda app: order.get(app["app_label"], len(order)))
        security_models = [
            model
            for label in SECURITY_APPS
            for app in apps
            if app["app_label"] == label
            for model in app["models"]
        ]
        if not security_models:
            return business
        security = {
            "name": _("Security"),
            "app_label": "security",
            "app_url": reverse("admin:index", current_app=self.name) + "#security",
            "has_module_perms": True,
            "models": security_models,
        }
        return [*business, security]

    def get_urls(self) -> list[URLPattern]:  # type: ignore[override]
        from accounts import views

        return [
            path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
            path("two-factor/enrol/", views.two_factor_enrol, name="two_factor_enrol"),
            *super().get_urls(),  # type: ignore[list-item]
        ]

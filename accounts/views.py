"""Two-factor login: enrolment of an authenticator app (QR code) and the code page after login."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import enrolment_device, totp_secret_base32
from common.admin import acting_user
from common.security_log import security_event


class TokenForm(forms.Form):
    otp_token = forms.RegexField(
        label=_("Code from the authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code is six digits.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def token(self) -> str:
        return self.cleaned_data["otp_token"].strip()


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else reverse("admin:index")


def _with_next(view: str, request: HttpRequest) -> str:
    return f"{reverse(view)}?{urlencode({'next': _next_url(request)})}"


def _refuse(request: HttpRequest) -> HttpResponseRedirect | None:
    """Only a logged-in, active staff user reaches these pages; the rest go to the login page."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect(f"{reverse('admin:login')}?next={reverse('admin:index')}")
    if not settings.OTP_REQUIRED or user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    return None


def _code_page(
    view: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A page that takes a code after the password: the code is kept out of error reports, the
    form is CSRF-protected and never cached, and the page is for a pending login only."""

    @sensitive_post_parameters("otp_token")
    @csrf_protect
    @never_cache
    @wraps(view)
    def page(request: HttpRequest) -> HttpResponse:
        return _refuse(request) or view(request)

    return page


def _page(request: HttpRequest, template: str, **context: object) -> TemplateResponse:
    return TemplateResponse(
        request,
        template,
        {
            **admin.site.each_context(request),
            # Nothing of the site is shown before the second factor: no app list, no sidebar.
            "available_apps": [],
            "is_nav_sidebar_enabled": False,
            "next": _next_url(request),
            **context,
        },
    )


def _verified(request: HttpRequest, device: TOTPDevice, event: str) -> HttpResponse:
    otp_login(request, device)
    # A session that gains privileges gets a new key, as Django does at login.
    request.session.cycle_key()
    security_event(event, actor=request.user, device_id=device.pk)
    return redirect(_next_url(request))


@_code_page
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code page after the password: one of the user's confirmed devices must accept it."""
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(_with_next("admin:two_factor_enrol", request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp slows guessing down: after each wrong code a device refuses for a while.
        allowed = [device for device in devices if device.verify_is_allowed()[0]]
        for device in allowed:
            if device.verify_token(form.token()):
                return _verified(request, device, "otp_success")
        security_event("otp_failure", actor=request.user, throttled=not allowed)
        form.add_error(
            "otp_token",
            _("Too many wrong codes: wait a minute and try again.")
            if not allowed
            else _("This code is wrong or was used already."),
        )
    return _page(request, "accounts/two_factor_verify.html", form=form, title=_("Two-factor login"))


@_code_page
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """First login without a device: scan the QR code, then confirm with the first code."""
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        # A second device is added only by an administrator, never past the second factor.
        return redirect(_with_next("admin:two_factor_verify", request))
    device = enrolment_device(user=acting_user(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.token()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            return _verified(request, device, "otp_enrolled")
        security_event("otp_failure", actor=request.user, enrolment=True)
        form.add_error("otp_token", _("This code is wrong: check the time on your phone."))
    return _page(
        request,
        "accounts/two_factor_enrol.html",
        form=form,
        title=_("Set up two-factor login"),
        qr_svg=segno.make(device.config_url, error="m").svg_inline(scale=4, light="#fff"),
        secret=totp_secret_base32(device),
    )

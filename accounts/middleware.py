"""Request-level security: session limits, the second factor, no caching, logged refusals."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import LazyObject, empty

from accounts.admin_site import second_factor_missing
from accounts.client_ip import client_ip_address
from common.security_log import security_event

Handler = Callable[[HttpRequest], HttpResponse]

LOGIN_AT = "derbes_login_at"
SEEN_AT = "derbes_seen_at"
# Activity is written back to the session at most this often, not on every request: the idle
# limit is then 30 minutes give or take this, without a session write per page.
SEEN_AT_RESOLUTION = 60


class LoadedUserMiddleware:
    """`request.user` as the user itself, not the two lazy proxies Django's and django-otp's
    middleware put around it.

    Every attribute read through them costs two raised AttributeErrors (~5 µs here), and an
    admin page reads the user hundreds of times: what it may do with each of the 34 registers
    of the sidebar, its name, its permissions in the templates (4-5 ms of a list page,
    bench/README.md). The middleware below read the user on every request anyway.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        while isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        request.user = user
        return self.get_response(request)


class SessionLimitsMiddleware:
    """Log out after SESSION_COOKIE_AGE seconds idle or SESSION_ABSOLUTE_AGE after login.

    Django's own expiry (SESSION_COOKIE_AGE) ends idle sessions on the server as well; the
    absolute limit is this middleware's alone, from the login time stored in the session.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    @staticmethod
    def _enforce(request: HttpRequest) -> None:
        now = timezone.now().timestamp()
        session = request.session
        login_at = session.setdefault(LOGIN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        reason = None
        if now - login_at > settings.SESSION_ABSOLUTE_AGE:
            reason = "absolute"
        elif now - seen_at > settings.SESSION_COOKIE_AGE:
            reason = "idle"
        if reason:
            security_event("session_expired", actor=request.user, reason=reason)
            logout(request)
        elif SEEN_AT not in session or now - seen_at >= SEEN_AT_RESOLUTION:
            session[SEEN_AT] = now


class TwoFactorRequiredMiddleware:
    """With OTP_REQUIRED, an admin page answers a user without a verified device with a redirect
    to the code page (which sends a user without any device on to enrolment)."""

    OPEN_VIEWS = frozenset({"login", "logout", "two_factor_verify", "two_factor_enrol"})

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Handler, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces or match.url_name in self.OPEN_VIEWS:
            return None
        if not second_factor_missing(request) or not request.user.is_staff:
            return None  # the admin itself sends everyone else to its login page
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('admin:two_factor_verify')}?{query}")


class SecurityHeadersMiddleware:
    """The headers SecurityMiddleware and NoStoreMiddleware add, on responses they never saw:
    those made from an error raised before them or inside SecurityMiddleware itself (a bad Host
    met by the HTTPS redirect). A response that has a header keeps it (static files stay
    cacheable)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if settings.SECURE_REFERRER_POLICY:
            response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        if "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        return response


class NulByteRefusalMiddleware:
    """A NUL byte in the path or the query string is refused (400): PostgreSQL can't hold one in
    text, so a filter or search carrying it would fail deep in a view. Form fields refuse it in
    posted data on their own (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("A NUL byte in the request's path or query string.")
        return self.get_response(request)


class NoStoreMiddleware:
    """Every page rendered here may show personal data: no browser or proxy keeps a copy.

    Static files are served by whitenoise before this middleware and stay cacheable.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


class DeniedRequestLogMiddleware:
    """Every 403 answered goes to the security log: who, and which view.

    The view's name and route are logged, not the path: a path can carry a secret (a webhook's
    URL, a signed link) or, in a query string, a searched name.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            match = getattr(request, "resolver_match", None)
            security_event(
                "permission_denied",
                actor=getattr(request, "user", None),
                method=request.method,
                view=match.view_name if match else None,
                route=match.route if match else None,
                ip=client_ip_address(request),
            )
        return response

"""Security-log entries for the login machinery of Django and django-axes.

These are receivers of the libraries' own signals (there is no other hook into their flows).
They only log, and note the login time for the session limits.
"""

from typing import Any

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from accounts.client_ip import client_ip_address
from accounts.middleware import LOGIN_AT, SEEN_AT
from accounts.services import role_grants_close, role_grants_open
from common.security_log import security_event


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip_address(request) if request is not None else None


def username_for_log(username: str | None) -> dict[str, Any]:
    """The typed username when it names a real account; otherwise only a keyed hash of it.

    People type their password into the username field; that text must not reach the log.
    The hash still lets an analyst see the same unknown name tried again and again.
    """
    if not username:
        return {"username": None, "known_user": False}
    if get_user_model()._default_manager.filter(**{"username": username}).exists():
        return {"username": username, "known_user": True}
    digest = salted_hmac("derbes.security-log.username", username).hexdigest()[:16]
    return {"username_hash": digest, "known_user": False}


@receiver(user_logged_in, dispatch_uid="accounts.login_success")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now
    security_event("login_success", actor=user, ip=_ip(request))


@receiver(user_login_failed, dispatch_uid="accounts.login_failure")
def _login_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    security_event(
        "login_failure",
        actor=None,
        ip=_ip(request),
        locked_out=bool(getattr(request, "axes_locked_out", False)),
        **username_for_log(credentials.get("username")),
    )


@receiver(user_logged_out, dispatch_uid="accounts.logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        security_event("logout", actor=user, ip=_ip(request))


@receiver(user_locked_out, dispatch_uid="accounts.lockout")
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    security_event("lockout", actor=None, ip=ip_address, **username_for_log(username))


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="accounts.unlock")
def _attempts_cleared(sender: Any, instance: AccessAttempt, **kwargs: Any) -> None:
    # axes_reset_* commands and the admin's "Access attempts" page both delete these rows.
    was_locked = instance.failures_since_start >= settings.AXES_FAILURE_LIMIT
    request = getattr(HistoricalRecords.context, "request", None)  # set in admin requests
    security_event(
        "unlock" if was_locked else "attempts_cleared",
        actor=getattr(request, "user", None),
        ip=instance.ip_address,
        failures=instance.failures_since_start,
        **username_for_log(instance.username),
    )


def _acting_user() -> Any:
    request = getattr(HistoricalRecords.context, "request", None)  # set in admin requests
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="accounts.roles")
def _roles_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Every way a role is given or taken (the user's page, a command, the shell) is recorded,
    from either side of the relation (user.groups or group.user_set)."""
    if action == "pre_clear":
        # The cleared rows are gone by post_clear: note them now.
        related = instance.user_set if reverse else instance.groups
        instance._roles_cleared = set(related.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_roles_cleared", set())
    elif action not in ("post_add", "post_remove"):
        return
    pairs = [(pk, instance.pk) if reverse else (instance.pk, pk) for pk in pk_set or ()]
    if action == "post_add":
        role_grants_open(pairs=pairs, actor=_acting_user())
    else:
        role_grants_close(pairs=pairs, actor=_acting_user())

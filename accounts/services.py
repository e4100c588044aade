"""Writes to staff accounts that security depends on."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleGrant
from common.security_log import security_event

_USER_ID_KEY = "_auth_user_id"


def user_sessions_end(*, user: User) -> int:
    """Delete every live session of `user`; returns how many there were.

    Sessions are keyed by a random id, not by user, so each live one is decoded. Live sessions
    are few: they end after 30 idle minutes.
    """
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(_USER_ID_KEY)) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None) -> int:
    """Deactivate `user` and end all their sessions at once; returns the sessions ended.

    Django already refuses an inactive user on their next request; deleting the sessions also
    ends them where nothing asks again (and frees the rows).
    """
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user_deactivation_complete(user=user, actor=actor)


def user_deactivation_complete(*, user: User, actor: User | None) -> int:
    """End every session of `user`, already saved inactive, and log the deactivation.

    For the user's admin page, which saves the account itself; returns the sessions ended.
    """
    ended = user_sessions_end(user=user)
    security_event("user_deactivated", actor=actor, user_id=user.pk, logins_ended=ended)
    return ended


def role_grants_open(*, pairs: Iterable[tuple[int, int]], actor: User | None) -> int:
    """Record that each (user id, group id) got its role now; a pair already open is kept."""
    now = timezone.now()
    made = RoleGrant.objects.bulk_create(
        [
            RoleGrant(user_id=user_id, group_id=group_id, granted_at=now, granted_by=actor)
            for user_id, group_id in pairs
        ],
        ignore_conflicts=True,  # the open grant of the pair is older: it stays the record
    )
    return len(made)


def role_grants_close(*, pairs: Iterable[tuple[int, int]], actor: User | None) -> int:
    """Record that each (user id, group id) lost its role now."""
    closed = 0
    for user_id, group_id in pairs:
        for grant in RoleGrant.objects.filter(
            user_id=user_id, group_id=group_id, revoked_at__isnull=True
        ):
            grant.revoked_at, grant.revoked_by = timezone.now(), actor
            grant.save(update_fields=["revoked_at", "revoked_by"])
            closed += 1
    return closed

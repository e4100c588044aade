"""Writes to staff accounts that security depends on."""

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

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

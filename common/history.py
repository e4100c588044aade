"""Writing tracked models so that their history names the acting user and the reason."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models


def save_with_history(
    instance: models.Model,
    *,
    actor: AbstractBaseUser | None,
    reason: str,
    **save_kwargs: Any,
) -> None:
    """Save `instance`; simple-history records `actor` and `reason` on the history row it writes."""
    instance._history_user = actor  # read by simple-history's get_history_user
    instance._change_reason = reason
    instance.save(**save_kwargs)


def delete_with_history(
    instance: models.Model, *, actor: AbstractBaseUser | None, reason: str
) -> None:
    instance._history_user = actor
    instance._change_reason = reason
    instance.delete()

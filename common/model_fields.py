"""Field declarations many models repeat the same way: when a row was made, who did something.

The arguments are those the models always had, so the migrations see no change."""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Linked = TypeVar("Linked", bound=models.Model)


def created_at_field(verbose_name: StrOrPromise) -> "models.DateTimeField[datetime, datetime]":
    """When the row was made: set once, by the database, on the first save."""
    return models.DateTimeField(verbose_name, auto_now_add=True)


def updated_at_field() -> "models.DateTimeField[datetime, datetime]":
    """When the row was last saved: set by the database on every save."""
    return models.DateTimeField(_("updated at"), auto_now=True)


def optional_link(
    to: type[Linked],
    verbose_name: StrOrPromise,
    *,
    related_name: str = "+",
) -> "models.ForeignKey[Linked | None, Linked | None]":
    """A link to a row that may be missing; the row it names cannot be deleted (PROTECT)."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def staff_field(
    verbose_name: StrOrPromise,
    *,
    on_delete: Callable[..., None] = models.PROTECT,
    related_name: str = "+",
) -> "models.ForeignKey[User | None, User | None]":
    """A member of staff the row names (who did it, whom it is assigned or sent to): empty when
    there is none, e.g. a command or a migration did it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )

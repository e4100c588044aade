"""Writes to data subjects. Each one validates, records history (user and reason) and is atomic."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from common.history import delete_with_history, save_with_history
from subjects.models import ContactHandle, Subject


@transaction.atomic
def subject_create(
    *, actor: AbstractBaseUser | None, reason: str, data: Mapping[str, Any]
) -> Subject:
    """Create a subject; e-mail and phone are normalised and checked before anything is written."""
    subject = Subject(**data)
    subject.full_clean()
    save_with_history(subject, actor=actor, reason=reason)
    return subject


@transaction.atomic
def subject_update(
    *, subject: Subject, actor: AbstractBaseUser | None, reason: str, data: Mapping[str, Any]
) -> Subject:
    """Change the given fields of a subject; nothing is written unless the result is valid."""
    for name, value in data.items():
        setattr(subject, name, value)
    subject.full_clean()
    save_with_history(subject, actor=actor, reason=reason)
    return subject


@transaction.atomic
def handle_add(
    *, subject: Subject, actor: AbstractBaseUser | None, reason: str, kind: str, value: str
) -> ContactHandle:
    handle = ContactHandle(subject=subject, kind=kind, value=value.strip())
    handle.full_clean()
    save_with_history(handle, actor=actor, reason=reason)
    return handle


@transaction.atomic
def handle_remove(*, handle: ContactHandle, actor: AbstractBaseUser | None, reason: str) -> None:
    delete_with_history(handle, actor=actor, reason=reason)

"""Writes to the processors app. Each is atomic and leaves history (user, reason)."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.history import save_with_history
from processors.models import Disclosure
from subjects.models import Subject


@transaction.atomic
def disclosure_record(
    *,
    actor: User | None,
    reason: str,
    recipient: str,
    recipient_kind: str,
    disclosed_at: datetime,
    legal_basis: str,
    subjects: Iterable[Subject],
    data_categories: Sequence[str],
    document: "File[Any] | None" = None,
    note: str = "",
) -> Disclosure:
    """Log a disclosure to a state body or another third party.

    A disclosure names at least one subject and one category, has already happened (not in the
    future) and states its legal basis; the acting user is recorded as the one who logged it.
    The subjects are set once, here: the admin shows them read-only afterwards.
    """
    subjects = list(subjects)
    if not subjects:
        raise ValidationError(
            {"subjects": _("Name at least one data subject whose data was disclosed.")}
        )
    disclosure = Disclosure(
        recipient=recipient,
        recipient_kind=recipient_kind,
        disclosed_at=disclosed_at,
        legal_basis=legal_basis,
        data_categories=list(data_categories),
        note=note,
        recorded_by=actor,
    )
    if document is not None:
        disclosure.document = document
    disclosure.full_clean()
    save_with_history(disclosure, actor=actor, reason=reason)
    disclosure.subjects.set(subjects)
    return disclosure

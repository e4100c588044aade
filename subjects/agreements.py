"""Agreement data (passport data, payment requisites): writes, the logged reveal, and lookup.

The values are sealed at rest (common.encryption). Seeing them is a separate act from reading
the row: `agreement_data_reveal` checks the `view_agreement_data` permission and records who saw
which values and when, in the table AgreementDataAccess and in the security log.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from common.encryption import Sealed
from common.history import save_valid_with_history
from common.security_log import security_event
from subjects.agreement_values import ENCRYPTED_AGREEMENT_FIELDS, normalise_agreement_values
from subjects.models import AgreementData, AgreementDataAccess, Subject
from subjects.services import subject_ensure_writable

VIEW_PERMISSION = "subjects.view_agreement_data"
WRITABLE_FIELDS = ("agreement_number", "agreement_date", *ENCRYPTED_AGREEMENT_FIELDS)


def may_reveal(user: User) -> bool:
    return user.is_active and user.has_perm(VIEW_PERMISSION)


def _apply(agreement: AgreementData, data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(WRITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not agreement data fields: {sorted(unknown)}")
    for name, value in normalise_agreement_values(data).items():
        setattr(agreement, name, "" if value is None and name != "agreement_date" else value)


@transaction.atomic
def agreement_data_record(
    *, subject: Subject, actor: User | None, reason: str, data: Mapping[str, Any]
) -> AgreementData:
    """Record the agreement data of `subject`; values are checked, then sealed, history included."""
    subject_ensure_writable(subject=subject)
    agreement = AgreementData(subject=subject)
    _apply(agreement, data)
    save_valid_with_history(agreement, actor=actor, reason=reason)
    return agreement


@transaction.atomic
def agreement_data_update(
    *,
    agreement: AgreementData,
    actor: User | None,
    reason: str,
    data: Mapping[str, Any],
) -> AgreementData:
    """Change the given values only: untouched values keep their ciphertext."""
    subject_ensure_writable(subject=agreement.subject_id)
    _apply(agreement, data)
    save_valid_with_history(agreement, actor=actor, reason=reason)
    return agreement


def unsealed(value: Any) -> str:
    """The plaintext for comparisons inside the server; never shown from here."""
    return value.unseal_unaudited() if isinstance(value, Sealed) else (value or "")


@transaction.atomic
def agreement_data_reveal(*, agreement: AgreementData, actor: User, context: str) -> dict[str, str]:
    """The decrypted values, for `actor` to see; refused without the permission, always logged."""
    if not may_reveal(actor):
        raise PermissionDenied
    values = {name: unsealed(getattr(agreement, name)) for name in ENCRYPTED_AGREEMENT_FIELDS}
    shown = [name for name, value in values.items() if value]
    AgreementDataAccess.objects.create(
        agreement=agreement, viewed_by=actor, fields=shown, context=context
    )
    security_event(
        "sensitive_view",
        actor=actor,
        model=AgreementData._meta.label_lower,
        object_id=agreement.pk,
        subject_id=agreement.subject_id,
        fields=shown,
        context=context,
    )
    return values


def agreements_find_by_passport(*, passport_number: str) -> QuerySet[AgreementData]:
    """Agreements whose passport number is this one (spaces, dashes and case ignored).

    Looks at the blind index only: nothing is decrypted to search.
    """
    if not passport_number.strip():
        return AgreementData.objects.none()
    digest = AgreementData._meta.get_field("passport_number_index").digest(passport_number)
    return AgreementData.objects.filter(passport_number_index=digest).select_related("subject")

"""Documents the operator approves by an order (Art. 25(2)(1) and (1-1) of Law No. 94-V).

The list of personal data and the processing policy are approved by the operator: each version
records who signed the order, its number and its date, and who recorded it here. A version that
is not approved is never made current or published (`ensure_approved`); an approval, once
recorded, is not changed (a new version is approved instead), so every earlier version keeps
the approval it had.
"""

from datetime import date
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.history import save_valid_with_history
from common.model_fields import staff_field

APPROVAL_FIELDS = (
    "approved_by", "approval_order_number", "approval_order_date", "approval_recorded_by",
    "approval_recorded_at",
)  # fmt: skip


class Approvable(models.Model):
    """The approval of a document version by the operator's order."""

    approved_by = models.CharField(
        _("approved by"),
        max_length=255,
        blank=True,
        help_text=_("Who signed the order: position and name."),
    )
    approval_order_number = models.CharField(_("order number"), max_length=64, blank=True)
    approval_order_date = models.DateField(_("order date"), null=True, blank=True)
    approval_recorded_by = staff_field(_("approval recorded by"))
    approval_recorded_at = models.DateTimeField(_("approval recorded at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return bool(self.approval_order_number and self.approval_order_date)

    def approval_text(self) -> str:
        """ "Approved by order No. 12 of 01.02.2026 (Director)" or "Not approved"."""
        if not self.is_approved or self.approval_order_date is None:
            return gettext("Not approved")
        return gettext("Approved by order No. %(number)s of %(date)s (%(by)s)") % {
            "number": self.approval_order_number,
            "date": formats.date_format(self.approval_order_date, "d.m.Y"),
            "by": self.approved_by,
        }


ApprovableT = TypeVar("ApprovableT", bound=Approvable)


def approval_refusal(document: Approvable) -> DomainError | None:
    """Why `document` may not be made current or published now (None when it may)."""
    if document.is_approved:
        return None
    return DomainError(
        _(
            "“%(document)s” is not approved: record the order that approves it (who signed it, "
            "its number and date) before making it current."
        ),
        code="not_approved",
        params={"document": str(document)},
    )


def ensure_approved(document: Approvable) -> None:
    refusal = approval_refusal(document)
    if refusal is not None:
        raise refusal


def approval_record(
    document: ApprovableT,
    *,
    approved_by: str,
    order_number: str,
    order_date: date,
    actor: User | None,
    reason: str,
) -> ApprovableT:
    """Record the operator's order approving `document`; an approval is recorded once."""
    if document.is_approved:
        raise DomainError(
            _("“%(document)s” is already approved: approve a new version instead."),
            code="already_approved",
            params={"document": str(document)},
        )
    if not (approved_by.strip() and order_number.strip() and order_date):
        raise DomainError(
            _("Enter who signed the order, its number and its date."), code="approval_incomplete"
        )
    if order_date > timezone.localdate():
        raise DomainError(
            _("The order's date is in the future: record an approval once the order is signed."),
            code="approval_in_future",
        )
    document.approved_by = approved_by.strip()
    document.approval_order_number = order_number.strip()
    document.approval_order_date = order_date
    document.approval_recorded_by = actor
    document.approval_recorded_at = timezone.now()
    save_valid_with_history(document, actor=actor, reason=reason)
    return document

"""The desk's box of transfer notices (Art. 19(1)): how many are due, how many are overdue."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from common.index_boxes import BoxRow, index_box, index_box_tag
from processors.models import TransferNotice
from processors.notices import notices_due_counts

register = template.Library()


@index_box_tag(register, TransferNotice, {due: f"due={due}" for due in ("pending", "overdue")})
def transfer_notices_due(links: dict[str, str]) -> dict[str, Any]:
    counts = notices_due_counts()
    return index_box(
        "transfer-notices",
        _("Notices of transfer to a third party (Art. 19(1))"),
        [
            BoxRow(_("Overdue"), counts["overdue"], links["overdue"], alert=counts["overdue"] > 0),
            BoxRow(_("To send"), counts["pending"], links["pending"]),
        ],
    )

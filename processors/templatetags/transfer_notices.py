"""The desk's box of transfer notices (Art. 19(1)): how many are due, how many are overdue."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from common.index_boxes import BoxRow, changelist_links, index_box, index_box_tag
from processors.notices import notices_due_counts

register = template.Library()


@index_box_tag(register, "processors.view_transfernotice")
def transfer_notices_due() -> dict[str, Any]:
    counts = notices_due_counts()
    links = changelist_links(
        "admin:processors_transfernotice_changelist",
        {due: f"due={due}" for due in ("pending", "overdue")},
    )
    return index_box(
        "transfer-notices",
        _("Notices of transfer to a third party (Art. 19(1))"),
        [
            BoxRow(_("Overdue"), counts["overdue"], links["overdue"], alert=counts["overdue"] > 0),
            BoxRow(_("To send"), counts["pending"], links["pending"]),
        ],
    )

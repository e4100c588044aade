"""The desk's box of transfer notices (Art. 19(1)): how many are due, how many are overdue."""

from django import template
from django.utils.translation import gettext as _

from common.index_boxes import NO_BOX, BoxRow, box_shown_to, changelist_links, index_box
from processors.notices import notices_due_counts

register = template.Library()


@register.inclusion_tag("admin/index_box.html", takes_context=True)
def transfer_notices_due(context: template.Context) -> dict:
    if not box_shown_to(context, "processors.view_transfernotice"):
        return NO_BOX
    counts = notices_due_counts()
    if not counts["pending"]:
        return NO_BOX
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

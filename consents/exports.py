"""The mailing list of a purpose as rows: who may be e-mailed now, each with their link."""

from collections.abc import Iterator

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from common.admin_export import export_event
from common.csv_export import BOM, csv_line
from consents.models import Purpose
from consents.selectors import mailing_list_values
from consents.unsubscribe import unsubscribe_url_maker

MAILING_LIST_HEADER = (
    _("E-mail"),
    _("Last name"),
    _("First name"),
    _("Patronymic"),
    _("Language"),
    _("Unsubscribe link"),
)


def mailing_list_rows(*, purpose: Purpose) -> Iterator[tuple[str, ...]]:
    link = unsubscribe_url_maker(purpose=purpose)
    for subject_id, *values in mailing_list_values(purpose=purpose):
        yield (*values, link(subject_id))


def mailing_list_csv_lines(*, purpose: Purpose, actor: User | None) -> Iterator[str]:
    """The list as CSV lines (BOM first) for a streamed download; logged once the last is out."""
    yield BOM
    yield csv_line(MAILING_LIST_HEADER)
    rows = 0
    for row in mailing_list_rows(purpose=purpose):
        rows += 1
        yield csv_line(row)
    export_event(actor=actor, model="consents.consent", rows=rows, file_format="csv")

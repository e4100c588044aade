"""The mailing list of a purpose as rows: who may be e-mailed now, each with their link."""

from collections.abc import Iterator

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from common.admin_export import export_event
from common.csv_export import BOM, csv_line, csv_text_lines
from consents.models import Purpose
from consents.selectors import mailing_list_batches
from consents.unsubscribe import unsubscribe_links_maker

MAILING_LIST_HEADER = (
    _("E-mail"),
    _("Last name"),
    _("First name"),
    _("Patronymic"),
    _("Language"),
    _("Unsubscribe link"),
)


def mailing_list_batches_with_links(*, purpose: Purpose) -> Iterator[list[tuple[str, ...]]]:
    links = unsubscribe_links_maker(purpose=purpose)
    for batch in mailing_list_batches(purpose=purpose):
        urls = links([row[0] for row in batch])
        yield [(*row[1:], url) for row, url in zip(batch, urls, strict=True)]


def mailing_list_rows(*, purpose: Purpose) -> Iterator[tuple[str, ...]]:
    for batch in mailing_list_batches_with_links(purpose=purpose):
        yield from batch


def mailing_list_csv_lines(*, purpose: Purpose, actor: User | None) -> Iterator[str]:
    """The list as CSV text (BOM and header first, then a batch of lines at a time) for a
    streamed download; logged once the last is out."""
    yield BOM + csv_line(MAILING_LIST_HEADER)
    rows = 0
    for batch in mailing_list_batches_with_links(purpose=purpose):
        rows += len(batch)
        yield csv_text_lines(batch)
    export_event(actor=actor, model="consents.consent", rows=rows, file_format="csv")

"""The mailing list of a purpose as rows: who may be e-mailed now, each with their link."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from consents.models import Purpose
from consents.selectors import mailing_list
from consents.unsubscribe import unsubscribe_url

MAILING_LIST_HEADER = (
    _("E-mail"),
    _("Last name"),
    _("First name"),
    _("Patronymic"),
    _("Language"),
    _("Unsubscribe link"),
)


def mailing_list_rows(*, purpose: Purpose) -> Iterator[tuple[str, ...]]:
    for subject in mailing_list(purpose=purpose):
        yield (
            subject.email,
            subject.last_name,
            subject.first_name,
            subject.patronymic,
            subject.preferred_language,
            unsubscribe_url(subject=subject, purpose=purpose),
        )

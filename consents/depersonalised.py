"""The consent register depersonalised, for the analytics and research purposes (Law No. 94-V,
Art. 17(1)); docs/depersonalised-export.md says what is kept, what is dropped and why.

One row per consent. Direct identifiers (name, e-mail, phone, IIN, address, photo, website,
handles, the subject's id) never leave: the subject is named by a pseudonym, a keyed hash of
its id that is stable from one export to the next (rows of one person can be joined) and that
nobody can turn back into the id without the server's key. Quasi-identifiers are generalised:
the birth year instead of the date, the city instead of the address, and a city shared by fewer
than `CITY_MIN_SUBJECTS` people is not named. Dates are cut to the month. Erased and blocked
subjects are left out.
"""

import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Lower, Trim
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from openpyxl import Workbook

from common.csv_export import BOM, csv_line, escape_cell
from consents.models import Consent
from subjects.models import Subject, SubjectState

PSEUDONYM_SALT = "derbes.depersonalised-export.subject"
# A smaller group of people in one city could single a person out: the city is not named.
CITY_MIN_SUBJECTS = 5


def subject_pseudonym(subject_id: int) -> str:
    """A stable, keyed, one-way name for a subject (HMAC of its id with the server's key)."""
    return salted_hmac(PSEUDONYM_SALT, str(subject_id), algorithm="sha256").hexdigest()[:20]


def depersonalised_headers() -> list[str]:
    return [
        _("Pseudonym of the subject"), _("Year of birth"), _("Country"), _("City"),
        _("Source of the data"), _("Preferred language"), _("Registered (month)"),
        _("Purpose"), _("Consent method"), _("Consent state"), _("Given (month)"),
        _("Withdrawn (month)"), _("Transfer to third parties"), _("Cross-border transfer"),
    ]  # fmt: skip


def _kept_subjects() -> QuerySet[Subject]:
    return Subject.objects.exclude(state__in=(SubjectState.ERASED, SubjectState.BLOCKED))


def _named_cities() -> frozenset[str]:
    """Cities (trimmed, case-folded) shared by enough kept subjects to be named."""
    counts = Counter(
        _kept_subjects()
        .exclude(city="")
        .annotate(place=Lower(Trim("city")))
        .values_list("place", flat=True)
    )
    return frozenset(place for place, count in counts.items() if count >= CITY_MIN_SUBJECTS)


def _month(moment: Any) -> str:
    return f"{moment:%Y-%m}" if moment else ""


def depersonalised_rows() -> Iterator[list[Any]]:
    """The rows, in the reader's language, read in chunks (the register can be large)."""
    named = _named_cities()
    other_city = _("other (fewer than %(count)d people)") % {"count": CITY_MIN_SUBJECTS}
    yes, no = _("yes"), _("no")
    consents = (
        Consent.objects.filter(subject__in=_kept_subjects())
        .select_related("subject", "purpose")
        .only(
            "purpose__code",
            "method",
            "state",
            "given_at",
            "withdrawn_at",
            "third_party_transfer",
            "cross_border_transfer",
            "subject__id",
            "subject__birth_date",
            "subject__country",
            "subject__city",
            "subject__source",
            "subject__preferred_language",
            "subject__created_at",
        )
        .order_by("subject_id", "pk")
    )
    for consent in consents.iterator(chunk_size=2000):
        subject = consent.subject
        place = subject.city.strip().casefold()
        yield [
            subject_pseudonym(subject.pk),
            subject.birth_date.year if subject.birth_date else "",
            str(subject.country.code or "") if subject.country else "",  # type: ignore[attr-defined]
            place.title() if place in named else (other_city if place else ""),
            subject.get_source_display(),
            subject.preferred_language,
            _month(subject.created_at),
            consent.purpose.code,
            consent.get_method_display(),
            consent.get_state_display(),
            _month(consent.given_at),
            _month(consent.withdrawn_at),
            yes if consent.third_party_transfer else no,
            yes if consent.cross_border_transfer else no,
        ]


def depersonalised_csv() -> Iterator[str]:
    """The CSV, line by line (UTF-8 with BOM, every cell escaped)."""
    yield BOM + csv_line(depersonalised_headers())
    for row in depersonalised_rows():
        yield csv_line(row)


def depersonalised_xlsx() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Depersonalised")[:31])
    sheet.append([escape_cell(header) for header in depersonalised_headers()])
    for row in depersonalised_rows():
        sheet.append([escape_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

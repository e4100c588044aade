"""One row of an old list, validated: either a `StageRow` ready for the database or a `Rejected`
with every reason it cannot be imported.

This runs once per row of lists with a million rows, so the checker is built once per file
(`make_cleaner`) and its loop touches only local names; the rules are the same as anywhere.
"""

import json
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

from common.contact_digests import contact_hasher
from common.fields import field_label, model_field
from common.validators import (
    CARD_SEPARATOR,
    contains_card_number,
    mask_card_numbers,
)
from imports.services.columns import ColumnMap, split_full_name
from imports.services.statuses import Verdict, status_column, status_decider
from imports.services.values import (
    Invalid,
    clean_country,
    clean_email,
    clean_language,
    clean_phone,
    parse_moment,
)
from subjects.models import Subject


class StageRow(NamedTuple):
    """A valid row of the file, as both writers take it (`sql.copy_line` stages it for COPY)."""

    line: int
    email: str
    email_digest: str
    phone: str
    phone_digest: str | None
    last_name: str
    first_name: str
    patronymic: str
    city: str
    country: str
    address: str
    organisation: str
    position: str
    birth_date: date | None
    preferred_language: str | None
    optin_time: datetime | None
    optin_raw: str  # as the file writes it: quoted in the evidence text
    optin_ip: str
    confirm_time: datetime | None
    confirm_raw: str
    confirm_ip: str
    event_at: datetime | None  # when the person unsubscribed or bounced
    policy_version_id: int | None
    source: str
    comment: str
    tags: str
    original: str = ""  # JSON object of the list's evidence columns ({} left out), or ""


# Subject fields an import may fill when they are empty on an existing subject.
FILLABLE = (
    "last_name", "first_name", "patronymic", "phone", "city", "country", "address",
    "organisation", "position", "birth_date",
)  # fmt: skip
# The cells a row is read for, in the order `make_cleaner` unpacks them.
_TARGETS = (
    "email", "phone", "last_name", "first_name", "patronymic", "full_name", "city", "country",
    "address", "organisation", "position", "birth_date", "optin_time", "optin_ip",
    "confirm_time", "confirm_ip", "unsub_time", "clean_time", "consent", "source", "comment",
    "tags", "policy_version", "language", "country_code",
)  # fmt: skip


@dataclass(frozen=True)
class Rejected:
    line: int
    reasons: tuple[str, ...]
    cells: tuple[str, ...]

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


@dataclass(frozen=True)
class RowContext:
    """What every row of one file is checked against."""

    columns: ColumnMap
    mailchimp: bool  # Mailchimp writes its times in UTC
    file_status: str | None  # Mailchimp's status from the file name
    wanted: Verdict  # CONSENT or REFUSAL: the rows this pass writes (others pass by unseen)
    blocked_emails: frozenset[str]
    policy_versions: dict[str, int]  # version label -> id
    now: datetime
    language: str = "auto"  # "auto": from the script of the names; or kk / ru / en


_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC_LETTERS = re.compile("[а-яёА-ЯЁ]")
_LATIN_LETTERS = re.compile("[A-Za-z]")


def language_of_names(last: str, first: str, patronymic: str) -> str | None:
    """kk for Cyrillic with Kazakh letters, ru for Cyrillic without, en for Latin; None when
    the names say nothing (no names, or digits only)."""
    text = last + first + patronymic
    if not _KAZAKH_LETTERS.isdisjoint(text):
        return "kk"
    if _CYRILLIC_LETTERS.search(text):
        return "ru"
    return "en" if _LATIN_LETTERS.search(text) else None


def evidence_parts(*, file_name: str, sha256: str) -> dict[str, str]:
    """The pieces of a consent's evidence text; both writers join them the same way."""
    head, tail = (
        _("Imported from the old list “{file}” (SHA-256 {sha256}), line {line}.")
        .format(file=file_name, sha256=sha256, line="\x00")
        .split("\x00")
    )
    return {
        "head": head,
        "tail": tail,
        "optin": _(" Original opt-in: {time}"),
        "confirm": _(" Confirmed: {time}"),
        "ip": _(" from IP {ip}"),
    }


def evidence_text(parts: dict[str, str], row: StageRow) -> str:
    """The consent's evidence text; both writers store it as built here."""
    text = f"{parts['head']}{row.line}{parts['tail']}"
    for raw, ip, template in (
        (row.optin_raw, row.optin_ip, parts["optin"]),
        (row.confirm_raw, row.confirm_ip, parts["confirm"]),
    ):
        if raw:
            text += template.replace("{time}", raw)
            text += (parts["ip"].replace("{ip}", ip) if ip else "") + "."
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A card number needs 13+ digits with at most three separators between any two of them
# (common.validators.card_number_spans): rows without such a run skip the full check. Phones
# (11 digits) and dates never reach it.
_CARD_HINT = re.compile(rf"\d(?:{CARD_SEPARATOR}{{0,3}}\d){{12}}")
_LIMITS = {
    name: model_field(Subject, name).max_length
    for name in ("last_name", "first_name", "patronymic", "city", "organisation", "position")
}


def make_cleaner(context: RowContext) -> Callable[[int, list[str]], StageRow | Rejected | None]:
    """The function that checks one row of this file.

    It returns a `StageRow` for a valid row of the pass's kind (`context.wanted`: consents or
    refusals), a `Rejected` for a row that can't be imported, and None for a valid row of the
    other kind, which the other pass writes.
    """
    index = dict(context.columns.index)
    if "full_name_fio" in index:
        index["full_name"] = index.pop("full_name_fio")
    width = len(context.columns.headers)
    # Absent columns read the empty cell appended at position `width`.
    pick = itemgetter(*(index.get(target, width) for target in _TARGETS))
    surname_first = "full_name_fio" in context.columns.index
    has_name_column = "full_name" in index
    has_birth_date = "birth_date" in index
    decide = status_decider(
        {
            target: (position, context.columns.headers[position].strip())
            for target, position in index.items()
            if status_column(target) is not None
        },
        file_status=context.file_status,
    )
    wanted = context.wanted
    evidence = [(context.columns.headers[i].strip(), i) for i in context.columns.evidence]
    language_option = None if context.language == "auto" else context.language
    local_tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    times_tz = UTC if context.mailchimp else local_tz
    future = context.now + timedelta(days=1)
    this_year = context.now.year
    email_hash, phone_hash = contact_hasher("email"), contact_hasher("phone")
    blocked = context.blocked_emails
    versions = context.policy_versions

    def moment(raw: str, reasons: list[str]) -> datetime | None:
        if not raw:
            return None
        try:
            value = parse_moment(raw, naive_tz=times_tz)
        except Invalid as error:
            reasons.append(str(error))
            return None
        if value is not None and value > future:
            reasons.append(_("The date %(value)s is in the future.") % {"value": raw})
            return None
        return value

    def clean(line: int, cells: list[str]) -> StageRow | Rejected | None:
        if len(cells) < width or any(extra.strip() for extra in cells[width:]):
            masked = tuple(without_card_numbers(cell) for cell in cells)
            return Rejected(line, (_ragged(len(cells), width),), masked)
        reasons: list[str] = []
        joined = "\n".join(cells)
        if _CONTROL.search(joined):
            reasons.append(_("The row holds control characters (binary data), not text."))
        if _CARD_HINT.search(joined) and contains_card_number(joined):
            reasons.append(
                _("The row holds a payment card number; the operator does not process card data.")
            )
            # Reported rows go to the screen and to files: never with the card number.
            cells = [without_card_numbers(cell) for cell in cells]
        (
            email, phone, last, first, patronymic, full_name, city, country, address,
            organisation, position, born, optin_raw, optin_ip, confirm_raw, confirm_ip,
            unsub_raw, clean_raw, _consent, source, comment, tags, version_label, language,
            country_code,
        ) = pick([*cells[:width], ""])  # fmt: skip
        status = decide(cells)
        consenting = status.verdict == Verdict.CONSENT
        if status.verdict == Verdict.REJECT:
            reasons.append(status.reason)
        try:
            email = clean_email(email)
        except Invalid as error:
            email = ""
            reasons.append(str(error))
        if consenting and email in blocked:
            reasons.append(_("This person's data is blocked: nothing is added while it is."))
        try:
            phone = clean_phone(phone)
        except Invalid as error:
            phone = ""
            reasons.append(str(error))
        last, first, patronymic = last.strip(), first.strip(), patronymic.strip()
        if has_name_column and not (last or first):
            last, first, split = split_full_name(full_name, surname_first=surname_first)
            patronymic = patronymic or split
        city, organisation, position = city.strip(), organisation.strip(), position.strip()
        if consenting and ("?" in last or "?" in first or "?" in patronymic or "?" in city):
            reasons.append(_lost_letters())
        for name, value in (
            ("last_name", last), ("first_name", first), ("patronymic", patronymic),
            ("city", city), ("organisation", organisation), ("position", position),
        ):  # fmt: skip
            if len(value) > _LIMITS[name]:  # type: ignore[operator]
                reasons.append(
                    _("%(field)s is longer than %(limit)s characters.")
                    % {"field": field_label(Subject, name), "limit": _LIMITS[name]}
                )
        try:
            country = clean_country(country or country_code) if (country or country_code) else ""
            language = clean_language(language) if language else None
        except Invalid as error:
            reasons.append(str(error))
        if not language:
            language = language_option or language_of_names(last, first, patronymic)
        birth_date = None
        if has_birth_date and born.strip():
            try:
                moment_of_birth = parse_moment(born, naive_tz=local_tz, allow_yearless=True)
            except Invalid as error:
                reasons.append(str(error))
            else:
                if moment_of_birth is not None:
                    birth_date = moment_of_birth.date()
                    if not 1900 <= birth_date.year <= this_year:
                        reasons.append(
                            _("The date of birth %(value)s is impossible.") % {"value": born}
                        )
        optin_raw, confirm_raw = optin_raw.strip(), confirm_raw.strip()
        optin, confirmed = moment(optin_raw, reasons), moment(confirm_raw, reasons)
        event_at = moment(unsub_raw.strip(), reasons) or moment(clean_raw.strip(), reasons)
        version_id = None
        if version_label := version_label.strip():
            version_id = versions.get(version_label)
            if version_id is None:
                reasons.append(
                    _("No privacy policy version is labelled “%(value)s”.")
                    % {"value": version_label}
                )
        if reasons:
            return Rejected(line, tuple(reasons), tuple(cells))
        if status.verdict != wanted:
            return None
        email_digest = email_hash(email)
        phone_digest = phone_hash(phone) if phone else None
        original = ""
        if evidence:
            kept = {header: cells[i].strip() for header, i in evidence if cells[i].strip()}
            original = json.dumps(kept, ensure_ascii=False) if kept else ""
        return StageRow(
            line, email, email_digest, phone, phone_digest, last, first, patronymic,
            city, country, address.strip(), organisation, position, birth_date, language, optin,
            optin_raw, optin_ip.strip(), confirmed, confirm_raw, confirm_ip.strip(), event_at,
            version_id, source.strip(), comment.strip(), tags.strip(), original,
        )  # fmt: skip

    return clean


def without_card_numbers(text: str) -> str:
    """An import keeps no digit of a card number (common.validators.mask_card_numbers)."""
    return mask_card_numbers(text, keep_last=0)[0]


def _ragged(cells: int, width: int) -> str:
    return _(
        "This row has %(cells)s cells where the header has %(width)s: a separator inside a "
        "value was probably not quoted."
    ) % {"cells": cells, "width": width}


def _lost_letters() -> str:
    return _(
        "“?” stands where letters were lost (the list was saved in an encoding without Kazakh "
        "letters): correct the names in the original list."
    )

"""Single values of an old list: e-mail, phone, dates, yes/no, country, language.

Each function returns the clean value or raises `Invalid` with the reason, in words the person
who brought the file understands. The common shapes take a fast path (a regular expression);
anything else goes to the library (Django's EmailValidator, phonenumbers), so the result is the
library's in every case and the cost is the library's only in the rare one.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache, lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django_countries import countries

from common.phones import normalise_phone


class Invalid(ValueError):
    """A value that cannot be imported; the message says why."""


# A subset of what EmailValidator accepts (dot-atom local part, LDH domain, letters TLD).
_FAST_EMAIL = re.compile(
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)
EMAIL_MAX_LENGTH = 254


def clean_email(raw: str) -> str:
    email = raw.strip().lower()
    if not email:
        raise Invalid(_("No e-mail address."))
    if len(email) > EMAIL_MAX_LENGTH:
        raise Invalid(_("The e-mail address is longer than 254 characters."))
    if _FAST_EMAIL.fullmatch(email) is None:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid(
                _("“%(value)s” is not a valid e-mail address.") % {"value": raw.strip()}
            ) from None
    return email


NO_VALUE = frozenset({"-", "—", "–", "n/a", "na", "нет", "жоқ", "none", "null", "0"})
_PHONE_SEPARATORS = str.maketrans("", "", " \u00a0-()\t.")
# +7 / 8 / 7, then a Kazakh number (7XX XXX XX XX): the shape of nearly every phone in a list.
_FAST_KZ_PHONE = re.compile(r"(?:\+7|8|7)(7\d{9})")
_EXCEL_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")


@cache  # at most 10,000 prefixes (7XXXX)
def _kz_prefix_valid(prefix: str) -> bool:
    """Whether phonenumbers calls 10-digit Kazakh numbers beginning with these 5 digits valid.

    The KZ metadata's patterns decide on the first five national digits at most (mobile 70X,
    747, 76X, 77X...; fixed lines 7XXXX): asking once per prefix gives the library's answer
    for every number (tests compare the two on a sweep of prefixes).
    """
    number = phonenumbers.parse(f"+7{prefix}00000", None)
    return phonenumbers.is_valid_number(number)


def clean_phone(raw: str) -> str:
    """E.164, exactly as common.phones.normalise_phone gives it; "" when the cell is empty."""
    text = raw.strip().lstrip("'")
    if not text or text.casefold() in NO_VALUE:
        return ""
    if _EXCEL_SCIENTIFIC.fullmatch(text):
        raise Invalid(
            _(
                "The phone “%(value)s” was turned into a number by Excel and its digits are "
                "lost: correct it in the original list."
            )
            % {"value": text}
        )
    match = _FAST_KZ_PHONE.fullmatch(text.translate(_PHONE_SEPARATORS))
    if match is not None:
        national = match.group(1)
        if _kz_prefix_valid(national[:5]):
            return "+7" + national
    try:
        return normalise_phone(text)
    except ValidationError:
        raise Invalid(_("“%(value)s” is not a valid phone number.") % {"value": text}) from None


EARLIEST_YEAR = 1900  # no list, consent or living person's birth is older
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|UTC|[+-]\d{2}:?\d{2})?"
)
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_YEARLESS = re.compile(r"\d{1,2}[./]\d{1,2}")
# Google Forms' "Download responses (.csv)": 2024/03/15 10:23:45 AM GMT+5
_GOOGLE = re.compile(
    r"(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})(?: ?([AaPp][Mm]))?"
    r"(?: (?:GMT|UTC)(?:([+-]\d{1,2})(?::?(\d{2}))?)?)?"
)


def _offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text in {"Z", "UTC"}:
        return UTC
    return datetime.strptime(text.replace(":", ""), "%z").tzinfo


@lru_cache(maxsize=20_000)  # lists repeat their dates; the cache is bounded, not per file
def parse_moment(raw: str, *, naive_tz: tzinfo, allow_yearless: bool = False) -> datetime | None:
    """A date or date-time in the shapes old lists use; a date alone is midnight in `naive_tz`.

    DD.MM.YYYY (Excel in Kazakhstan and Russia), YYYY-MM-DD[ HH:MM[:SS]] (Mailchimp, ISO), and
    DD/MM/YYYY or MM/DD/YYYY when the day tells which; an ambiguous 03/04/2024 is refused.
    """
    text = raw.strip()
    if not text or text.casefold() in NO_VALUE:
        return None
    try:
        if match := _ISO.fullmatch(text):
            year, month, day, hour, minute, second, zone = match.groups()
            tz = _offset(zone) or naive_tz
        elif match := _GOOGLE.fullmatch(text):
            year, month, day, hour, minute, second, half, zone_hours, zone_minutes = match.groups()
            hour = (
                str(int(hour) % 12 + (12 if half and half.lower() == "pm" else 0)) if half else hour
            )
            tz = naive_tz
            if zone_hours is not None:
                sign = -1 if zone_hours.startswith("-") else 1
                tz = timezone(
                    sign * timedelta(hours=abs(int(zone_hours)), minutes=int(zone_minutes or 0))
                )
            elif "GMT" in text or "UTC" in text:
                tz = UTC
        elif match := _DMY.fullmatch(text):
            day, month, year, hour, minute, second = match.groups()
            if len(year) == 2:
                year = f"20{year}"
            tz = naive_tz
        elif match := _SLASHED.fullmatch(text):
            first, second_part, year, hour, minute, second = match.groups()
            if int(first) > 12 >= int(second_part):
                day, month = first, second_part
            elif int(second_part) > 12 >= int(first):
                month, day = first, second_part
            else:
                raise Invalid(
                    _(
                        "The date “%(value)s” could be day/month or month/day: write it as "
                        "DD.MM.YYYY."
                    )
                    % {"value": text}
                )
            tz = naive_tz
        elif allow_yearless and _YEARLESS.fullmatch(text):
            return None  # Mailchimp's birthday (MM/DD) has no year: no date of birth in it
        else:
            raise Invalid(_("“%(value)s” is not a date (write DD.MM.YYYY).") % {"value": text})
        moment = datetime.combine(
            date(int(year), int(month), int(day)),
            time(int(hour or 0), int(minute or 0), int(second or 0)),
        )
    except (ValueError, OverflowError) as error:
        if isinstance(error, Invalid):
            raise
        raise Invalid(_("“%(value)s” is not a real date.") % {"value": text}) from None
    if moment.year < EARLIEST_YEAR:  # 01.01.0001: a placeholder, and out of range in UTC
        raise Invalid(_("“%(value)s” is not a real date.") % {"value": text})
    return moment.replace(tzinfo=tz)


def consent_given(raw: str) -> bool | None:
    """True for yes, False for no, None when the cell is empty; Invalid for anything else.

    The answers it knows are imports.services.statuses' (the one place that says which answer
    gives a consent)."""
    from imports.services.statuses import consent_answer

    try:
        return consent_answer(raw)
    except ValueError:
        raise Invalid(
            _("The consent cell says “%(value)s”: write yes or no (да/нет, иә/жоқ).")
            % {"value": raw.strip()}
        ) from None


_COUNTRY_NAMES = {
    "казахстан": "KZ", "қазақстан": "KZ", "kazakhstan": "KZ", "рк": "KZ",
    "россия": "RU", "ресей": "RU", "рф": "RU", "кыргызстан": "KG", "қырғызстан": "KG",
    "узбекистан": "UZ", "өзбекстан": "UZ",
}  # fmt: skip


def clean_country(raw: str) -> str:
    text = raw.strip()
    if not text:
        return ""
    if len(text) == 2 and text.upper() in countries:
        return text.upper()
    code = _COUNTRY_NAMES.get(text.casefold()) or countries.by_name(text)
    if not code:
        raise Invalid(_("“%(value)s” is not a country we know.") % {"value": text})
    return code


_LANGUAGES = {
    "kk": "kk", "kz": "kk", "қазақша": "kk", "қазақ": "kk", "казахский": "kk", "kazakh": "kk",
    "ru": "ru", "русский": "ru", "орысша": "ru", "рус": "ru", "russian": "ru",
    "en": "en", "english": "en", "английский": "en", "ағылшынша": "en",
}  # fmt: skip


def clean_language(raw: str) -> str | None:
    text = raw.strip().casefold()
    if not text:
        return None
    if text not in _LANGUAGES:
        raise Invalid(
            _("“%(value)s” is not a language of the back-office (kk, ru, en).")
            % {"value": raw.strip()}
        )
    return _LANGUAGES[text]

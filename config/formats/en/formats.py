# English as written in Kazakhstan: Django's English formats, and dates typed day first with
# dots (22.10.2025) accepted too, as people here type them in any language. Dots are never
# American (10/22/2025 keeps its meaning), so nothing typed before changes its reading.
from django.conf.locale.en import formats as django_en

DATE_FORMAT = django_en.DATE_FORMAT
TIME_FORMAT = django_en.TIME_FORMAT
DATETIME_FORMAT = django_en.DATETIME_FORMAT
YEAR_MONTH_FORMAT = django_en.YEAR_MONTH_FORMAT
MONTH_DAY_FORMAT = django_en.MONTH_DAY_FORMAT
SHORT_DATE_FORMAT = django_en.SHORT_DATE_FORMAT
SHORT_DATETIME_FORMAT = django_en.SHORT_DATETIME_FORMAT
FIRST_DAY_OF_WEEK = 1  # Monday, as in Kazakhstan
DECIMAL_SEPARATOR = django_en.DECIMAL_SEPARATOR
THOUSAND_SEPARATOR = django_en.THOUSAND_SEPARATOR
NUMBER_GROUPING = django_en.NUMBER_GROUPING
TIME_INPUT_FORMATS = django_en.TIME_INPUT_FORMATS

DAY_FIRST = ["%d.%m.%Y", "%d.%m.%y"]
# The first format is the one the admin's date fields show a value in: ISO, as before.
DATE_INPUT_FORMATS = [*django_en.DATE_INPUT_FORMATS[:1], *DAY_FIRST,
                      *django_en.DATE_INPUT_FORMATS[1:]]  # fmt: skip
DATETIME_INPUT_FORMATS = [
    *django_en.DATETIME_INPUT_FORMATS,
    *(f"{day} {time}" for day in DAY_FIRST for time in ("%H:%M:%S", "%H:%M")),
]

# English as written in Kazakhstan: Django's English formats, and dates typed day first with
# dots (22.10.2025) accepted too, as people here type them in any language. Dots are never
# American (10/22/2025 keeps its meaning), so nothing typed before changes its reading.
from django.conf.locale.en import formats as django_en
from django.conf.locale.en.formats import *  # noqa: F403 (Django's English formats, then ours)

FIRST_DAY_OF_WEEK = 1  # Monday, as in Kazakhstan

DAY_FIRST = ["%d.%m.%Y", "%d.%m.%y"]
# The first format is the one the admin's date fields show a value in: ISO, as before.
DATE_INPUT_FORMATS = [*django_en.DATE_INPUT_FORMATS[:1], *DAY_FIRST,
                      *django_en.DATE_INPUT_FORMATS[1:]]  # fmt: skip
DATETIME_INPUT_FORMATS = [
    *django_en.DATETIME_INPUT_FORMATS,
    *(f"{day} {time}" for day in DAY_FIRST for time in ("%H:%M:%S", "%H:%M")),
]

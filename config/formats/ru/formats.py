# Django's Russian formats, and dates typed with slashes (22/10/2025), as people here type them.
from django.conf.locale.ru import formats as django_ru
from django.conf.locale.ru.formats import *  # noqa: F403 (Django's Russian formats, then ours)

DATE_INPUT_FORMATS = [*django_ru.DATE_INPUT_FORMATS, "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = [*django_ru.DATETIME_INPUT_FORMATS, "%d/%m/%Y %H:%M"]

"""`read_fieldset`: a fieldset of read-only fields written in one pass (common.read_fieldsets)."""

from typing import Any

from django import template
from django.contrib.admin.helpers import Fieldset
from django.utils.safestring import SafeString

from common.read_fieldsets import read_fieldset as _read_fieldset

register = template.Library()


@register.simple_tag
def read_fieldset(fieldset: Fieldset, **place: Any) -> SafeString | str:
    """The markup of `admin/includes/fieldset.html` for `fieldset`, or "" when one of its fields
    can be edited (the page then includes Django's template)."""
    return _read_fieldset(fieldset, **place) or ""

"""Apps above `subjects` add inlines to the subject page here; `subjects` imports none of them."""

from typing import TypeVar

from django.contrib.admin.options import InlineModelAdmin

T = TypeVar("T", bound=type[InlineModelAdmin])

subject_page_inlines: list[type[InlineModelAdmin]] = []


def add_subject_inline(inline: T) -> T:
    subject_page_inlines.append(inline)
    return inline

"""Comparing markup written in Python with what Django's templates print."""

import re


def without_indentation(html: str) -> str:
    """Markup with the template's indentation taken out."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()

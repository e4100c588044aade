"""A fieldset of read-only fields written in one pass, as `admin/includes/fieldset.html` writes it.

A page that shows a record to read (the subject's page, subjects.admin_reading) has every field
read-only. Django's template walks each of them through nested loops, `{% if %}`s and filters:
about a sixth of the subject's page at 1,000,000 subjects (bench/README.md, admin). Here the
same markup is written directly; a fieldset with a field to edit keeps Django's template.
"""

from typing import Any

from django.contrib.admin.helpers import AdminReadonlyField, Fieldset
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


def read_fieldset(
    fieldset: Fieldset, *, heading_level: int, prefix: str, id_prefix: Any, id_suffix: Any
) -> SafeString | None:
    """The fieldset's markup, or None when one of its fields can be edited (Django's template
    writes that one)."""
    shown = [list(line) for line in fieldset]
    lines = [[field for field in line if isinstance(field, AdminReadonlyField)] for line in shown]
    if lines != shown:
        return None  # a field to edit
    name = fieldset.name  # type: ignore[attr-defined]
    collapsible = bool(name) and fieldset.is_collapsible
    heading_id = conditional_escape(f"{prefix}-{id_prefix}-{id_suffix}-heading")
    parts = [f'<fieldset class="module aligned {conditional_escape(fieldset.classes)}"']
    if name:
        parts.append(f' aria-labelledby="{heading_id}"')
    parts.append(">")
    if name:
        level = conditional_escape(str(heading_level or 2))
        parts.append(
            f"{'<details><summary>' if collapsible else ''}"
            f'<h{level} id="{heading_id}" class="fieldset-heading">{conditional_escape(name)}'
            f"</h{level}>{'</summary>' if collapsible else ''}"
        )
    if fieldset.description:
        parts.append(f'<div class="description">{fieldset.description}</div>')  # |safe
    for fields in lines:
        parts.append(_line(fields))
    if collapsible:
        parts.append("</details>")
    parts.append("</fieldset>")
    return SafeString("".join(parts))


def _line(fields: list[AdminReadonlyField]) -> str:
    single = len(fields) == 1
    names = "".join(
        f" field-{conditional_escape(field.field['name'])}"
        for field in fields
        if field.field["name"]
    )
    cells = []
    for field in fields:
        box = ""
        if not single:
            box = " fieldBox" + (
                f" field-{conditional_escape(field.field['name'])}" if field.field["name"] else ""
            )
        help_text = field.field["help_text"]
        cells.append(
            f'<div><div class="flex-container{box}">{field.label_tag()}'
            f'<div class="readonly">{field.contents()}</div></div>'
            + (f'<div class="help"><div>{help_text}</div></div>' if help_text else "")  # |safe
            + "</div>"
        )
    inner = "".join(cells)
    if not single:
        inner = f'<div class="flex-container form-multiline">{inner}</div>'
    return f'<div class="form-row{names}">{inner}</div>'

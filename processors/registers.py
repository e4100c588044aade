"""The operator's two documents built from the tables: the list of personal data and the register.

The list of personal data (Art. 25 of the Law: the operator approves it) is read from the
personal-data registry, so it names every field that holds each category; the register of
processing is read from the purposes and the processors. Both are built in one language (kk or ru)
and come out as a printable page or an XLSX file.
"""

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.csv_export import escape_cell
from common.fields import field_label
from common.i18n import localized
from common.personal_data import DataCategory, classified_models
from consents.models import Purpose
from organisation.selectors import operator_profile_get
from processors.models import Processor
from processors.selectors import active_processors

REGISTER_LANGUAGES = ("kk", "ru")

# A cell is a list of texts: one line each, in the file and on the page ("—" when empty).
Cell = tuple[str, ...]


@dataclass(frozen=True)
class RegisterDocument:
    title: str
    operator_name: str
    operator_bin: str
    responsible_person: str
    drawn_up_on: date
    language: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def _document(*, title: str, columns: Sequence[str], rows: list, language: str) -> RegisterDocument:
    operator = operator_profile_get()
    return RegisterDocument(
        title=title,
        operator_name=localized(operator, "name", language) if operator else "",
        operator_bin=operator.bin if operator else "",
        responsible_person=operator.responsible_person if operator else "",
        drawn_up_on=timezone.localdate(),
        language=language,
        columns=tuple(columns),
        rows=rows,
    )


def _field_holders() -> dict[str, list[str]]:
    """Category -> "Model: field, field" for every registered model holding that category."""
    holders: dict[str, list[str]] = {category: [] for category in DataCategory.values}
    for classification in classified_models():
        meta = classification.model._meta
        for category in DataCategory.values:
            fields = [
                field_label(classification.model, name)
                for name, of in classification.personal.items()
                if of == category
            ]
            if fields:
                holders[category].append(f"{capfirst(meta.verbose_name)}: {', '.join(fields)}")
    return holders


def personal_data_list(*, language: str) -> RegisterDocument:
    """Per category of personal data: where it is kept, the purposes and the processors."""
    with translation.override(language):
        purposes = list(Purpose.objects.filter(is_active=True))
        processors = list(active_processors().order_by("legal_name", "pk"))
        holders = _field_holders()
        rows = [
            (
                (str(label),),
                tuple(holders[category]),
                tuple(str(p) for p in purposes if category in p.data_categories),
                tuple(
                    f"{p.legal_name} ({p.country_name})"
                    for p in processors
                    if category in p.data_categories
                ),
            )
            for category, label in DataCategory.choices
        ]
        return _document(
            title=_("List of personal data"),
            columns=(
                _("Category of personal data"),
                _("Where it is kept"),
                _("Purposes of processing"),
                _("Processors that receive it"),
            ),
            rows=rows,
            language=language,
        )


def _retention(purpose: Purpose) -> str:
    if purpose.retention_days is None:
        return _("Until the purpose is achieved")
    return ngettext(
        "Until the purpose is achieved, then %(days)d more day",
        "Until the purpose is achieved, then %(days)d more days",
        purpose.retention_days,
    ) % {"days": purpose.retention_days}


def _processor_line(processor: Processor) -> str:
    where = (
        _("data kept in Kazakhstan")
        if processor.stores_data_in_kazakhstan
        else _("data kept outside Kazakhstan")
    )
    actions = ", ".join(Processor._meta.get_field("actions").labels(processor.actions)) or "—"
    return _("%(name)s, %(country)s; %(where)s; entrusted actions: %(actions)s") % {
        "name": processor.legal_name,
        "country": processor.country_name,
        "where": where,
        "actions": actions,
    }


def processing_register(*, language: str) -> RegisterDocument:
    """Per active purpose: legal basis, categories, processors, transfers abroad, retention."""
    with translation.override(language):
        purposes = Purpose.objects.filter(is_active=True).prefetch_related(
            Prefetch(
                "processors",
                queryset=active_processors().order_by("legal_name", "pk"),
                to_attr="active_processors",
            )
        )
        rows = []
        for purpose in purposes:
            processors = purpose.active_processors
            abroad = sorted({p.country_name for p in processors if p.is_cross_border})
            rows.append(
                (
                    (str(purpose),),
                    (purpose.get_legal_basis_display(),),
                    tuple(
                        Purpose._meta.get_field("data_categories").labels(purpose.data_categories)
                    ),
                    tuple(_processor_line(p) for p in processors),
                    tuple(abroad),
                    (_retention(purpose),),
                )
            )
        return _document(
            title=_("Register of personal data processing"),
            columns=(
                _("Purpose of processing"),
                _("Legal basis"),
                _("Categories of personal data"),
                _("Processors"),
                _("Cross-border transfer to"),
                _("Retention period"),
            ),
            rows=rows,
            language=language,
        )


REGISTERS: dict[str, tuple[Callable[..., RegisterDocument], str]] = {
    "personal-data": (personal_data_list, "list-of-personal-data"),
    "processing": (processing_register, "register-of-processing"),
}


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def _text(value: str) -> str:
    # openpyxl refuses control characters; a formula-looking cell is written as text.
    return escape_cell(ILLEGAL_CHARACTERS_RE.sub("", value))


def register_xlsx(document: RegisterDocument) -> bytes:
    """The document as an XLSX workbook; every text cell is escaped against formula injection."""
    with translation.override(document.language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _SHEET_TITLE_FORBIDDEN.sub("", document.title)[:31]
        sheet.append([_text(document.title)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([_text(_("Operator")), _text(document.operator_name)])
        sheet.append([_text(_("BIN")), _text(document.operator_bin)])
        sheet.append([_text(_("Drawn up on")), document.drawn_up_on])
        sheet.cell(row=sheet.max_row, column=2).number_format = "DD.MM.YYYY"
        sheet.append([])
        sheet.append([_text(column) for column in document.columns])
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        for row in document.rows:
            sheet.append([_text("\n".join(cell)) for cell in row])
        wrap = Alignment(wrap_text=True, vertical="top")
        for row in sheet.iter_rows(min_row=header_row):
            for cell in row:
                cell.alignment = wrap
        for index in range(1, len(document.columns) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 45
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

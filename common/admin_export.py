"""CSV/XLSX export of admin changelists (django-import-export), safe to open in a spreadsheet.

Every text cell is escaped with `common.csv_export.escape_cell` (the OWASP rule); cells of
numeric, date and boolean columns keep their type, so numbers stay numbers in the sheet. Each
export is written to the security log with the user, the model, the format and the row count.
"""

from functools import cache
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest
from django.utils.text import capfirst
from import_export import resources, widgets
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm
from import_export.resources import modelresource_factory

from common.admin import acting_user
from common.csv_export import escape_cell
from common.security_log import security_event

# Widgets whose values are not free text: their cells are never escaped.
TYPED_WIDGETS = (
    widgets.NumberWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
    widgets.TimeWidget,
    widgets.DurationWidget,
    widgets.BooleanWidget,
)


class EscapingResourceMixin:
    """Escape formula-looking text in every exported cell and header."""

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        value = super().export_field(field, instance, **kwargs)  # type: ignore[misc]
        if isinstance(getattr(field, "widget", None), TYPED_WIDGETS):
            return value
        return escape_cell(value)

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return [escape_cell(header) for header in super().get_export_headers(selected_fields)]  # type: ignore[misc]


@cache
def escaping(resource_class: type[resources.Resource]) -> type[resources.Resource]:
    """The resource class with escaping (itself when it escapes already)."""
    if issubclass(resource_class, EscapingResourceMixin):
        return resource_class
    return type(f"Escaping{resource_class.__name__}", (EscapingResourceMixin, resource_class), {})


class StrictScriptExportForm(SelectableFieldsExportForm):
    """The export form, with its "Select all" box working under script-src 'self', and each
    column offered by its field's name in the reader's language (the library titles the code
    name: "Created At")."""

    def _get_field_label(self, resource: Any, field_name: str) -> str:
        try:
            field = resource._meta.model._meta.get_field(field_name)
        except (AttributeError, FieldDoesNotExist):
            return str(super()._get_field_label(resource, field_name))
        return str(capfirst(getattr(field, "verbose_name", field_name)))

    @property
    def media(self) -> forms.Media:
        media: forms.Media = super().media
        return media + forms.Media(js=["common/export_select_all.js"])


class SafeExportMixin(ExportMixin):
    """Export button for a changelist: CSV (UTF-8 with BOM, for Excel) and XLSX only, escaped.

    Export resources are kept apart from any import resources (`export_resource_classes`), so an
    import resource added to the same admin can't bypass the escaping.
    """

    export_formats = [base_formats.CSV, base_formats.XLSX]
    export_resource_classes: list[type[resources.Resource]] = []
    to_encoding = "utf-8-sig"
    export_form_class = StrictScriptExportForm

    def get_export_resource_classes(self, request: HttpRequest) -> list[Any]:
        chosen = self.export_resource_classes or [modelresource_factory(self.model)]
        return [escaping(resource_class) for resource_class in chosen]  # type: ignore[arg-type]

    def get_data_for_export(self, request: HttpRequest, queryset: Any, **kwargs: Any) -> Any:
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        export_event(
            actor=acting_user(request),
            model=self.model._meta.label_lower,
            rows=len(dataset),
            file_format="xlsx" if kwargs.get("force_native_type") else "csv",
        )
        return dataset


def export_event(*, actor: User | None, model: str, rows: int, file_format: str) -> None:
    security_event("export", actor=actor, model=model, rows=rows, format=file_format)

import io
from typing import BinaryIO

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportMixin
from import_export.formats import base_formats

from common.admin import HistoryAdmin, ViewOnlyAdminMixin, acting_user
from common.errors import DomainError
from common.security_log import security_event
from consents.models import Purpose
from imports.forms import ConfirmUploadForm, MailingListImportForm, Upload, upload_sign
from imports.models import ImportChannel, ImportRun, ImportState
from imports.rejects import RejectsCsv, content_type, rejects_file, rejects_format
from imports.services import ImportReport, ImportSource, mailing_list_import
from imports.services.queued import import_enqueue
from imports.services.uploads import StagedFile, staged_open, upload_stage

RECOGNISED_COLUMNS = (
    "Email / E-mail / Электронная почта / Электрондық пошта / Email Address",
    "ФИО / Аты-жөні / Full name",
    "First Name / Имя / Аты",
    "Last Name / Фамилия / Тегі",
    "Телефон / Phone",
    "Город / Қала / City",
    "Дата подписки / Тіркелген күні / OPTIN_TIME",
    "OPTIN_IP, CONFIRM_TIME, CONFIRM_IP, UNSUB_TIME",
    "Согласие / Келісім / Consent (да/нет, иә/жоқ, yes/no; Google Forms)",
    "Статус / Status, email_status, email_availability (UniSender, SendPulse)",
    "EMAIL_BLACKLISTED, SMS_BLACKLISTED, DOUBLE_OPT-IN, ADDED_TIME, SMS (Brevo)",
    "Timestamp / Отметка времени (Google Forms); tranid, formid, formname, referer (Tilda)",
    "Комментарий / NOTES, TAGS",
)


class MailingListResource(resources.Resource):
    """What django-import-export's form offers; the rows go to imports.services, not here."""

    @classmethod
    def get_display_name(cls) -> str:
        return str(_("Old mailing list"))


@admin.register(ImportRun)
class ImportRunAdmin(ViewOnlyAdminMixin, ImportMixin, HistoryAdmin):
    """Imports of old mailing lists: upload, preview, confirm; the list of what was imported.

    The preview is the real import rolled back (the service's dry run), so its counts are the
    ones the confirmation gives. The uploaded file goes to the confirm step inside the page,
    signed; it is never written to disk or kept on the server. Runs are written by the import
    service only.
    """

    list_display = (
        # Fits a 1366 px screen: the other counts are on the import's page.
        "imported_at", "state", "file_name", "purpose", "list_kind", "created", "updated",
        "rejected", "imported_by",
    )  # fmt: skip
    list_filter = ("list_kind", "channel", "purpose")
    search_fields = ("file_name", "sha256")
    list_select_related = ("purpose", "imported_by")
    readonly_fields = (
        "file_name", "sha256", "purpose", "list_kind", "encoding", "channel", "rows", "created",
        "updated", "unchanged", "suppressed", "withdrawn", "duplicates", "rejected",
        "rejected_rows_file", "imported_by", "imported_at", "state", "written", "error",
    )  # fmt: skip
    exclude = ("options",)
    show_full_result_count = False
    import_form_class = MailingListImportForm
    resource_classes = [MailingListResource]
    import_formats = [base_formats.CSV, base_formats.XLSX]
    import_template_name = "admin/imports/importrun/import.html"

    def _page(self, request: HttpRequest, **context: object) -> TemplateResponse:
        form = context.get("form")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import an old mailing list"),
            "opts": self.model._meta,
            "fields_list": [(MailingListResource.get_display_name(), RECOGNISED_COLUMNS)],
            "media": self.media + (form.media if form is not None else self.media),  # type: ignore[attr-defined]
            "preview_rows": settings.IMPORT_ADMIN_PREVIEW_ROWS,
            "max_megabytes": settings.IMPORT_ADMIN_MAX_BYTES / 2**20,
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def _import(
        self,
        request: HttpRequest,
        upload: Upload,
        stream: BinaryIO,
        *,
        dry_run: bool,
        on_reject: object = None,
    ) -> ImportReport:
        """The service's report; a DomainError says why the file can't be imported."""
        purpose = Purpose.objects.filter(pk=upload.purpose_id).first()
        if purpose is None:
            raise DomainError(_("The chosen purpose no longer exists."), code="no_purpose")
        return mailing_list_import(
            sources=[ImportSource(upload.name, stream)],
            purpose=purpose,
            actor=acting_user(request),
            list_format=upload.list_format,
            encoding=upload.encoding,
            language=upload.language,
            dry_run=dry_run,
            preview_rows=None if on_reject is not None else settings.IMPORT_ADMIN_PREVIEW_ROWS,
            on_reject=on_reject,  # type: ignore[arg-type]
            channel=ImportChannel.ADMIN,
        )

    def import_action(self, request: HttpRequest, **kwargs: object) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if request.method != "POST" or not form.is_valid():
            return self._page(request, form=form)
        uploaded = form.cleaned_data["import_file"]
        try:
            if uploaded.size > settings.IMPORT_ADMIN_MAX_BYTES:
                form.add_error("import_file", _too_large())
                return self._page(request, form=form)
            upload = Upload(
                name=uploaded.name,
                purpose_id=form.cleaned_data["purpose"].pk,
                list_format=form.cleaned_data["list_format"],
                encoding=form.cleaned_data["encoding"],
                language=form.cleaned_data["language"] or "auto",
            )
            try:  # the preview reads the upload where Django left it
                report = self._import(request, upload, uploaded, dry_run=True)
            except DomainError as error:
                form.add_error("import_file", error)
                return self._page(request, form=form)
            token = ""  # nothing to confirm or download: nothing kept
            if report.changed or report.files[0].rejected:
                # Kept for the confirm step (imports.services.uploads).
                staged = upload_stage(uploaded, user=acting_user(request))
                token = upload_sign(upload, staged, user_id=request.user.pk)  # type: ignore[arg-type]
        finally:
            # Django's temporary file of a large upload is deleted as it closes.
            uploaded.close()
        confirm = ConfirmUploadForm(initial={"upload": token}, user_id=request.user.pk)  # type: ignore[arg-type]
        return self._page(
            request, form=form, report=report, file=report.files[0], confirm_form=confirm
        )

    def process_import(self, request: HttpRequest, **kwargs: object) -> HttpResponse:
        if request.method != "POST":  # a reload of the confirm address: back to the form
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied
            return HttpResponseRedirect(reverse("admin:imports_importrun_import"))
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm = ConfirmUploadForm(request.POST, user_id=request.user.pk)  # type: ignore[arg-type]
        if not confirm.is_valid():
            self.message_user(request, " ".join(confirm.errors["upload"]), messages.ERROR)  # type: ignore[arg-type]
            return HttpResponseRedirect(reverse("admin:imports_importrun_import"))
        upload, staged = confirm.cleaned_data["upload"]
        if "download_rejects" in request.POST:
            return self._rejects_download(request, upload, staged)
        purpose = Purpose.objects.filter(pk=upload.purpose_id).first()
        if purpose is None:
            return self._refused(
                request, DomainError(_("The chosen purpose no longer exists."), code="no_purpose")
            )
        # The whole file is imported by a worker; its page shows the progress, then the report.
        try:
            run = import_enqueue(
                name=upload.name,
                staged=staged,
                purpose=purpose,
                actor=acting_user(request),
                list_format=upload.list_format,
                encoding=upload.encoding,
                language=upload.language,
            )
        except DomainError as error:
            return self._refused(request, error)
        return HttpResponseRedirect(reverse("admin:imports_importrun_change", args=[run.pk]))

    def _refused(self, request: HttpRequest, error: DomainError) -> HttpResponse:
        self.message_user(request, error.text, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:imports_importrun_import"))

    def _rejects_download(
        self, request: HttpRequest, upload: Upload, staged: StagedFile
    ) -> HttpResponse:
        """Every rejected row with its line and reason (a dry run writes the file), in the
        encoding and with the delimiter of the uploaded file."""
        buffer = io.BytesIO()
        try:
            with staged_open(staged, user=acting_user(request)) as stream:
                report = self._import(
                    request, upload, stream, dry_run=True, on_reject=RejectsCsv(buffer)
                )
        except DomainError as error:
            return self._refused(request, error)
        file = report.files[0]
        encoding, _delimiter = rejects_format(file.encoding, file.delimiter)
        return _csv_response(buffer.getvalue(), encoding)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, object] | None = None,
    ) -> HttpResponse:
        """The import's page; while its job waits or runs, a progress bar that refreshes itself
        (a meta refresh: no script, works offline), then the report."""
        self._valid_id(object_id)
        run = ImportRun.objects.filter(pk=object_id).first()
        context = dict(extra_context or {})
        if run is not None and run.state in (ImportState.QUEUED, ImportState.RUNNING):
            total = int(run.options.get("rows_estimate") or 0)
            read = min(run.rows, total) if total else run.rows
            context["progress"] = {
                "state": run.get_state_display(),
                "read": run.rows,
                "written": run.written,
                "rejected": run.rejected,
                "total": total,
                "percent": round(100 * read / total) if total else 0,
                "refresh": 2,
            }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:run_id>/rejected-rows/",
                self.admin_site.admin_view(self.rejected_rows_view),
                name="imports_importrun_rejected_rows",
            )
        ]
        return own + super().get_urls()

    def rejected_rows_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        """The rejected rows a recorded import kept, as the file they came from was written."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=run_id)
        buffer = io.BytesIO()
        encoding, delimiter = rejects_format(run.encoding, run.delimiter)
        rows = rejects_file(
            stream=buffer,
            encoding=encoding,
            delimiter=delimiter,
            header=list(run.header),
            rows=run.rejected_rows.order_by("line").values_list("line", "reason", "cells"),
        )
        security_event("import_rejects_download", actor=request.user, run=run.pk, rows=rows)
        return _csv_response(buffer.getvalue(), encoding)

    @admin.display(description=_("rejected rows"))
    def rejected_rows_file(self, obj: ImportRun) -> str:
        if not obj.rejected:
            return "—"
        url = reverse("admin:imports_importrun_rejected_rows", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download (CSV)"))


def _csv_response(content: bytes, encoding: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type(encoding))
    response["Content-Disposition"] = 'attachment; filename="rejected-rows.csv"'
    return response


def _too_large() -> str:
    return str(
        _(
            "This file is larger than an upload here may be (%(limit)s MB). Import it with the "
            "command: python manage.py import_mailing_list FILE --purpose CODE."
        )
        % {"limit": round(settings.IMPORT_ADMIN_MAX_BYTES / 2**20, 1)}
    )

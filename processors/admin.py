from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import HistoryAdmin, ReasonedModelForm, acting_user
from common.approval_admin import (
    APPROVAL_SHOWN,
    ApprovalStateFilter,
    approve_action,
    version_step_action,
)
from processors import (
    admin_notices,  # noqa: F401 (registers the transfer notices admin)
    registers,
    services,
)
from processors.models import Disclosure, PersonalDataListVersion, Processor
from processors.selectors import Recipient, subject_recipients
from subjects.admin_inlines import Panel, add_subject_panel
from subjects.models import Subject

DISCLOSURES_ON_PAGE = 50

if TYPE_CHECKING:  # the stubs' name for a string or a lazy translation (a dev dependency)
    pass


def _transfer_note(recipient: Recipient) -> SafeString | str:
    if recipient.uncovered_cross_border:
        return format_html(
            '<strong class="subject-panel-warning">{}</strong>',
            _("cross-border transfer not covered by consent"),
        )
    if recipient.cross_border:
        return str(_("cross-border transfer covered by consent"))
    return str(_("data kept in Kazakhstan"))


@add_subject_panel(60)
def recipients_panel(request: HttpRequest, subject: Subject) -> Panel | None:
    """The processors that receive the person's data, for which of the person's live consents,
    and whether each transfer abroad is covered. Two queries (subject_recipients)."""
    if not request.user.has_perm("processors.view_processor"):
        return None
    return Panel(
        title=str(_("Recipients of the data")),
        headers=[_("processor"), _("purposes"), _("transfer")],
        rows=[
            [
                format_html(
                    '<a href="{}">{} ({})</a>',
                    reverse("admin:processors_processor_change", args=[recipient.processor.pk]),
                    recipient.processor.legal_name,
                    recipient.processor.country_name,
                ),
                ", ".join(str(purpose) for purpose in recipient.purposes),
                _transfer_note(recipient),
            ]
            for recipient in subject_recipients(subject=subject)
        ],
        empty=str(_("No processor receives the data.")),
    )


@add_subject_panel(70)
def disclosures_panel(request: HttpRequest, subject: Subject) -> Panel | None:
    """Data of the person handed to state bodies and other third parties, newest first."""
    if not request.user.has_perm("processors.view_disclosure"):
        return None
    found = list(
        Disclosure.objects.filter(subjects=subject)
        .only("recipient", "recipient_kind", "disclosed_at", "legal_basis")
        .order_by("-disclosed_at", "-pk")[: DISCLOSURES_ON_PAGE + 1]
    )
    more = ""
    if len(found) > DISCLOSURES_ON_PAGE:
        more = (
            reverse("admin:processors_disclosure_changelist") + f"?subjects__id__exact={subject.pk}"
        )
    return Panel(
        title=str(_("Disclosures to third parties")),
        headers=[_("disclosed at"), _("recipient"), _("kind of recipient"), _("legal basis")],
        rows=[
            [
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:processors_disclosure_change", args=[disclosure.pk]),
                    date_format(
                        timezone.localtime(disclosure.disclosed_at), "SHORT_DATETIME_FORMAT"
                    ),
                ),
                disclosure.recipient,
                disclosure.get_recipient_kind_display(),
                Truncator(disclosure.legal_basis).chars(120),
            ]
            for disclosure in found[:DISCLOSURES_ON_PAGE]
        ],
        empty=str(_("No disclosures.")),
        more_url=more,
    )


def tell_notices_due(model_admin: admin.ModelAdmin, request: HttpRequest, count: int) -> None:
    """Say that a transfer just saved owes notices to `count` subjects (none: nothing said)."""
    if count:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d subject asked to be told of this transfer: the notice is due.",
                "%(count)d subjects asked to be told of this transfer: the notices are due.",
                count,
            )
            % {"count": count},
            messages.WARNING,
        )


@admin.register(Processor)
class ProcessorAdmin(HistoryAdmin):
    list_display = (
        "legal_name", "country", "stores_data_in_kazakhstan", "agreement_number", "active_from",
        "active_to",
    )  # fmt: skip
    list_filter = ("stores_data_in_kazakhstan", "country")
    search_fields = ("legal_name", "registration_number")
    filter_horizontal = ("purposes",)
    fieldsets = (
        (None, {"fields": ("legal_name", "registration_number", "country", "contact")}),
        (
            _("Entrusted processing"),
            {"fields": ("services", "actions", "purposes", "data_categories")},
        ),
        (
            _("Confidentiality and security obligation"),
            {"fields": ("agreement_number", "agreement_date", "agreement_file")},
        ),
        (
            _("Period and location"),
            {"fields": ("active_from", "active_to", "stores_data_in_kazakhstan")},
        ),
    )

    def save_model(self, request: HttpRequest, obj: Processor, form: Any, change: bool) -> None:
        saved = services.processor_save(
            processor=obj,
            purposes=form.cleaned_data.get("purposes"),
            actor=acting_user(request),
            reason=self.reason_from(form, change),
        )
        tell_notices_due(self, request, len(saved.notices))

    def save_related(self, request: HttpRequest, form: Any, formsets: list, change: bool) -> None:
        # The service has set the purposes, the processor's only related rows.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_urls(self) -> list:
        page = self.admin_site.admin_view(self.register_view)
        xlsx = self.admin_site.admin_view(self.register_xlsx_view)
        return [
            path("registers/<slug:document>/", page, name="processors_register"),
            path("registers/<slug:document>/xlsx/", xlsx, name="processors_register_xlsx"),
            *super().get_urls(),
        ]

    def _register(self, request: HttpRequest, document: str) -> registers.RegisterDocument:
        """The requested document in the language of ?lang= (kk unless asked otherwise)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if document not in registers.REGISTERS:
            raise Http404
        language = request.GET.get("lang", "kk")
        if language not in registers.REGISTER_LANGUAGES:
            raise BadRequest("lang must be kk or ru")
        build, _filename = registers.REGISTERS[document]
        return build(language=language)

    def register_view(self, request: HttpRequest, document: str) -> HttpResponse:
        """The list of personal data or the register of processing, as a printable page."""
        built = self._register(request, document)
        context = {"document": built, "slug": document, "languages": registers.REGISTER_LANGUAGES}
        with translation.override(built.language):
            # Rendered here, not after the view returns, so the page is in the document's language.
            response = TemplateResponse(request, "processors/register.html", context).render()
        response["Content-Language"] = built.language
        return response

    def register_xlsx_view(self, request: HttpRequest, document: str) -> HttpResponse:
        """The same document as an XLSX file."""
        built = self._register(request, document)
        _build, filename = registers.REGISTERS[document]
        response = HttpResponse(
            registers.register_xlsx(built),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{filename}-{built.language}-{built.drawn_up_on:%Y-%m-%d}.xlsx"'
        )
        return response


class DisclosureForm(ReasonedModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "data_categories" in self.fields:
            self.fields["data_categories"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if self.instance.pk is None and cleaned.get("subjects") is not None:
            try:
                services.disclosure_subjects_check(cleaned["subjects"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Disclosure)
class DisclosureAdmin(HistoryAdmin):
    form = DisclosureForm
    list_display = ("disclosed_at", "recipient", "recipient_kind", "subject_count", "recorded_by")
    list_filter = ("recipient_kind", "disclosed_at")
    search_fields = ("recipient", "legal_basis", "=subjects__email")
    list_select_related = ("recorded_by",)
    autocomplete_fields = ("subjects",)
    date_hierarchy = "disclosed_at"
    fieldsets = (
        (None, {"fields": ("recipient", "recipient_kind", "disclosed_at", "legal_basis")}),
        (_("What was disclosed"), {"fields": ("subjects", "data_categories")}),
        (_("Documents"), {"fields": ("document", "note")}),
    )
    record_fieldset = (_("Record"), {"fields": ("recorded_by", "created_at")})
    # What was disclosed, to whom and when is fixed once logged; documents and notes may follow.
    fixed_fields = (
        "recipient", "recipient_kind", "disclosed_at", "subjects", "data_categories",
        "recorded_by", "created_at",
    )  # fmt: skip
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Disclosure]:
        return (
            super().get_queryset(request).annotate(subject_count=Count("subjects", distinct=True))
        )

    @admin.display(description=_("subjects"), ordering="subject_count")
    def subject_count(self, disclosure: Disclosure) -> int:
        return disclosure.subject_count  # type: ignore[attr-defined]

    def get_readonly_fields(self, request: HttpRequest, obj: Disclosure | None = None) -> tuple:
        return self.fixed_fields if obj is not None else ()

    def get_fieldsets(self, request: HttpRequest, obj: Disclosure | None = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else [*fieldsets, self.record_fieldset]

    def has_delete_permission(self, request: HttpRequest, obj: Disclosure | None = None) -> bool:
        # The log is evidence of what left the operator: an entry is never deleted.
        return False

    def save_model(
        self, request: HttpRequest, obj: Disclosure, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        recorded = services.disclosure_record(
            actor=acting_user(request),
            reason=self.reason_from(form, change),
            recipient=data["recipient"],
            recipient_kind=data["recipient_kind"],
            disclosed_at=data["disclosed_at"],
            legal_basis=data["legal_basis"],
            subjects=data["subjects"],
            data_categories=data["data_categories"],
            document=data.get("document") or None,
            note=data.get("note", ""),
        )
        self.adopt_saved(obj, recorded)
        tell_notices_due(self, request, recorded.notices.count())

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool
    ) -> None:
        # On add the service has set the subjects; on change they are read-only.
        if change:
            super().save_related(request, form, formsets, change)


class ListVersionForm(ReasonedModelForm):
    class Meta:
        model = PersonalDataListVersion
        fields = ("version_label",)


@admin.register(PersonalDataListVersion)
class PersonalDataListVersionAdmin(HistoryAdmin):
    """Versions of the list of personal data: drawn up from the tables, approved by an order,
    made current; each printable with its approval."""

    form = ListVersionForm
    list_display = ("version_label", "drawn_up_on", "approval", "current_from", "print_links")
    list_filter = (ApprovalStateFilter,)
    search_fields = ("version_label", "approval_order_number")
    list_select_related = ("approval_recorded_by",)
    actions = ("approve", "make_current")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return super().get_fieldsets(request, obj)
        return [
            (None, {"fields": ("version_label", "drawn_up_on", "current_from", "print_links")}),
            (_("Approval"), {"fields": APPROVAL_SHOWN}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        if obj is None:
            return ()
        # What was drawn up and approved is kept as it was: a change is a new version.
        return ("version_label", "drawn_up_on", "current_from", "print_links", *APPROVAL_SHOWN)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # every earlier version is kept (Art. 25(2)(1))

    @admin.display(description=_("approval"))
    def approval(self, version: PersonalDataListVersion) -> str:
        return version.approval_text()

    @admin.display(description=_("print"))
    def print_links(self, version: PersonalDataListVersion) -> SafeString:
        return format_html_join(
            " ",
            '<a href="{}?lang={}">{}</a>',
            (
                (reverse("admin:processors_personaldatalistversion_print", args=[version.pk]),
                 language, language.upper())
                for language in registers.REGISTER_LANGUAGES
            ),
        )  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            return  # nothing of a kept version is changed here
        drawn_up = services.personal_data_list_draw_up(
            version_label=form.cleaned_data["version_label"],
            actor=acting_user(request),
            reason=self.reason_from(form, change),
        )
        self.adopt_saved(obj, drawn_up)

    def get_urls(self) -> list:
        page = self.admin_site.admin_view(self.print_view)
        return [
            path("<int:pk>/print/", page, name="processors_personaldatalistversion_print"),
            *super().get_urls(),
        ]

    def print_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The version as drawn up, in ?lang= (kk unless asked otherwise), with its approval."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        version = get_object_or_404(PersonalDataListVersion, pk=pk)
        language = request.GET.get("lang", "kk")
        if language not in version.content:
            raise BadRequest("lang must be kk or ru")
        document = registers.document_from_content(version.content[language], language=language)
        context = {"document": document, "languages": registers.REGISTER_LANGUAGES}
        with translation.override(language):
            context["approval"] = version.approval_text()
            response = TemplateResponse(request, "processors/register.html", context).render()
        response["Content-Language"] = language
        return response

    @admin.action(description=_("Record the order approving the selected version"),
                  permissions=("change",))  # fmt: skip
    def approve(self, request: HttpRequest, queryset: QuerySet[PersonalDataListVersion]):
        return approve_action(self, request, queryset)

    @admin.action(description=_("Make the selected approved version current"),
                  permissions=("change",))  # fmt: skip
    def make_current(self, request: HttpRequest, queryset: QuerySet[PersonalDataListVersion]):
        version_step_action(
            self, request, queryset, services.personal_data_list_make_current,
            reason=str(_("Made current")), done=_("“%(version)s” is now the current list."),
        )  # fmt: skip

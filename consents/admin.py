from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import HistoryAdmin, acting_user, action_with_form
from common.admin_export import SafeExportMixin
from common.approval_admin import (
    APPROVAL_SHOWN,
    ApprovalStateFilter,
    approve_action,
    version_step_action,
)
from common.pagination import EstimatedCountPaginator
from common.security_log import security_event
from consents import depersonalised, services
from consents.exports import mailing_list_csv_lines
from consents.forms import ConsentAddForm, RefuseWithdrawalForm, WithdrawForm
from consents.models import (
    Consent,
    PolicyVersion,
    Purpose,
    SuppressionEntry,
    WithdrawalRefusal,
)
from consents.receipts import consent_receipt, consent_receipts_send
from consents.selectors import subjects_with_outdated_consents, suppression_search
from subjects.admin_erased import ErasedSubjectReadOnly
from subjects.admin_inlines import Panel, add_subject_panel
from subjects.models import Subject
from subjects.representation import REPRESENTATIVE_FIELDS
from subjects.selectors import subject_search

LANGUAGES = ("kk", "ru", "en")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _receipt_link(subject_id: int) -> str:
    url = reverse("admin:consents_consent_receipt", args=[subject_id])
    return format_html('<a href="{}">{}</a>', url, _("Consent receipt"))


CONSENTS_ON_PAGE = 50


@add_subject_panel(30)
def consents_panel(request: HttpRequest, subject: Subject) -> Panel | None:
    """The person's consents, newest first: state, purpose, policy version, evidence."""
    if not request.user.has_perm("consents.view_consent"):
        return None
    consents = list(
        Consent.objects.filter(subject=subject)
        .select_related("purpose", "policy_version")
        .order_by("-given_at", "-pk")[: CONSENTS_ON_PAGE + 1]
    )
    more = ""
    if len(consents) > CONSENTS_ON_PAGE:
        more = reverse("admin:consents_consent_changelist") + f"?subject__id__exact={subject.pk}"
    return Panel(
        title=str(_("Consents")),
        headers=[
            _("purpose"),
            _("state"),
            _("given at"),
            _("method"),
            _("policy version"),
            _("evidence"),
            _("withdrawn at"),
        ],
        rows=[
            [
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:consents_consent_change", args=[consent.pk]),
                    consent.purpose,
                ),
                consent.get_state_display(),
                consent.given_at,
                consent.get_method_display(),
                consent.policy_version,
                _evidence(consent),
                consent.withdrawn_at,
            ]
            for consent in consents[:CONSENTS_ON_PAGE]
        ],
        empty=str(_("No consents.")),
        more_url=more,
        links=[
            (
                str(_("Consent receipt")),
                reverse("admin:consents_consent_receipt", args=[subject.pk]),
            )
        ],
    )


def _evidence(consent: Consent) -> str:
    """The evidence as the panel shows it: the text cut short, and whether a file is kept."""
    text = Truncator(consent.evidence).chars(80)
    if consent.evidence_file:
        text = f"{text} ({_('file attached')})" if text else str(_("file attached"))
    return text


@admin.register(Purpose)
class PurposeAdmin(HistoryAdmin):
    list_display = (
        "code", "__str__", "legal_basis", "is_marketing", "retention_days", "retention_law",
        "is_active",
    )  # fmt: skip
    list_filter = ("legal_basis", "is_marketing", "is_active")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "legal_basis",
                    "is_marketing",
                    "data_categories",
                    "retention_days",
                    "retention_law",
                    "is_active",
                    "sort_order",
                )
            },
        ),
        (_("Name"), {"fields": ("name_kk", "name_ru", "name_en")}),
        (_("Description"), {"fields": ("description_kk", "description_ru", "description_en")}),
    )
    actions = ("export_mailing_list",)

    # Every address on the list and the links that withdraw consent: never for a view-only user.
    @admin.action(description=_("Export the mailing list (CSV)"),
                  permissions=("export_mailing_list",))  # fmt: skip
    def export_mailing_list(self, request: HttpRequest, queryset: QuerySet[Purpose]):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one purpose."), messages.ERROR)
            return None
        purpose = queryset.get()
        # Streamed: a long list never sits whole in memory.
        lines = mailing_list_csv_lines(purpose=purpose, actor=acting_user(request))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mailing-list-{purpose.code}.csv"'
        return response

    def has_export_mailing_list_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("consents.export_mailing_list")


# What policy_version_draft takes from the add form.
POLICY_VERSION_FIELDS = ("kind", "version_label", "text_kk", "text_ru", "text_en")


@admin.register(PolicyVersion)
class PolicyVersionAdmin(HistoryAdmin):
    list_display = (
        "kind", "version_label", "approval", "published_at", "created_at", "print_links",
    )  # fmt: skip
    list_filter = ("kind", ApprovalStateFilter)
    search_fields = ("version_label", "approval_order_number")
    list_select_related = ("approval_recorded_by",)
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("kind", "version_label", "published_at")}),
        (_("Approval"), {"fields": APPROVAL_SHOWN}),
        (_("Texts"), {"fields": ("text_kk", "text_ru", "text_en")}),
    )
    actions = ("approve", "publish")

    def get_readonly_fields(self, request: HttpRequest, obj: PolicyVersion | None = None) -> tuple:
        # What was approved is what is published: its text is read-only from the approval on.
        fixed = ("published_at", *APPROVAL_SHOWN)
        if obj is not None and (obj.is_approved or obj.published_at):
            return (*fixed, *POLICY_VERSION_FIELDS)
        return fixed

    @admin.display(description=_("approval"))
    def approval(self, version: PolicyVersion) -> str:
        return version.approval_text()

    @admin.action(description=_("Record the order approving the selected version"),
                  permissions=("change",))  # fmt: skip
    def approve(self, request: HttpRequest, queryset: QuerySet[PolicyVersion]):
        return approve_action(self, request, queryset)

    @admin.action(description=_("Publish the selected approved version"),
                  permissions=("change",))  # fmt: skip
    def publish(self, request: HttpRequest, queryset: QuerySet[PolicyVersion]) -> None:
        version_step_action(
            self, request, queryset, services.policy_version_publish,
            reason=str(_("Published")), done=_("“%(version)s” published."),
        )  # fmt: skip

    def get_urls(self) -> list:
        report = self.admin_site.admin_view(self.outdated_consents_view)
        printed = self.admin_site.admin_view(self.print_view)
        return [
            path("outdated-consents/", report, name="consents_policyversion_outdated"),
            path("<int:pk>/print/", printed, name="consents_policyversion_print"),
            *super().get_urls(),
        ]

    @admin.display(description=_("print"))
    def print_links(self, version: PolicyVersion) -> str:
        url = reverse("admin:consents_policyversion_print", args=[version.pk])
        return format_html_join(
            " ", '<a href="{}?lang={}">{}</a>', ((url, code, code.upper()) for code in LANGUAGES)
        )

    def print_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The version's text in ?lang= with its approval, to print."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        version = get_object_or_404(PolicyVersion, pk=pk)
        language = request.GET.get("lang", "kk")
        if language not in LANGUAGES:
            raise BadRequest("lang must be kk, ru or en")
        with translation.override(language):
            context = {
                "version": version, "language": language, "languages": LANGUAGES,
                "text": getattr(version, f"text_{language}"), "approval": version.approval_text(),
            }  # fmt: skip
            response = TemplateResponse(request, "consents/policy_print.html", context).render()
        response["Content-Language"] = language
        return response

    def outdated_consents_view(self, request: HttpRequest) -> HttpResponse:
        """Subjects whose live consents were given under an older policy: a re-consent list."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        outdated = subjects_with_outdated_consents()
        context = {
            "subjects": outdated.order_by("last_name", "first_name", "pk")[:500],
            "total": outdated.count(),
            **self.admin_site.each_context(request),
            "title": _("Consents given under an older privacy policy"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/consents/outdated_consents.html", context)

    def save_model(self, request: HttpRequest, obj: PolicyVersion, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        published = services.policy_version_draft(
            actor=acting_user(request),
            reason=self.reason_from(form, change),
            **{name: form.cleaned_data[name] for name in POLICY_VERSION_FIELDS},
        )
        self.adopt_saved(obj, published)

    def has_delete_permission(self, request: HttpRequest, obj: PolicyVersion | None = None) -> bool:
        # A version some consent was given under is evidence: it can't go (the FK protects it too).
        if obj is not None and obj.consents.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Consent)
class ConsentAdmin(ErasedSubjectReadOnly, SafeExportMixin, HistoryAdmin):
    list_display = ("subject", "purpose", "state", "given_at", "method", "policy_version")
    list_filter = (
        "state", "method", "purpose", "cross_border_transfer", "third_party_transfer",
        "notify_of_transfer",
    )  # fmt: skip
    search_fields = ("subject__email", "subject__last_name", "subject__first_name")
    list_select_related = ("subject", "purpose", "policy_version")
    # What a page of the list reads (common.changelist): its columns and what each row's, each
    # subject's and each version's str() prints (a purpose is read whole: a few short rows).
    list_columns = (
        "state", "given_at", "method", "purpose", "subject__last_name", "subject__first_name",
        "subject__patronymic", "subject__email", "policy_version__kind",
        "policy_version__version_label",
    )  # fmt: skip
    autocomplete_fields = ("subject",)
    readonly_fields = ("state", "withdrawn_at", "withdrawal_channel", "created_at", "receipt")
    fieldsets = (
        (None, {"fields": ("subject", "purpose", "given_at", "method", "policy_version")}),
        (_("Evidence"), {"fields": ("evidence", "evidence_file", "evidence_payload")}),
        (
            _("Legal representative (Arts. 7, 8, 24)"),
            {"fields": REPRESENTATIVE_FIELDS, "description": _("When not the subject gave it.")},
        ),
        (
            _("Content of the consent (Art. 8(4))"),
            {
                "fields": (
                    "valid_until",
                    "data_categories",
                    "third_party_transfer",
                    "notify_of_transfer",
                    "cross_border_transfer",
                    "cross_border_countries",
                    "public_sources",
                )
            },
        ),
        (
            _("State"),
            {"fields": ("state", "withdrawn_at", "withdrawal_channel", "created_at", "receipt")},
        ),
        (_("Kept by law"), {"fields": ("legal_hold", "legal_hold_reason")}),
    )
    actions = ("withdraw", "refuse_withdrawal", "send_receipt")
    show_full_result_count = False
    list_per_page = 50  # as the subject list: each row costs rendering, not queries
    paginator = EstimatedCountPaginator
    form = ConsentAddForm

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Consent], search_term: str
    ) -> tuple[QuerySet[Consent], bool]:
        # The people's search, as on the subject list (its index), not a scan of a join.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(
            subject__in=subject_search(Subject.objects.all(), search_term)
        ), False

    def get_readonly_fields(self, request: HttpRequest, obj: Consent | None = None) -> tuple:
        # A given consent is evidence: it is withdrawn (and given again), never edited. Only
        # whether the law keeps the data may change over its life.
        if obj is not None:
            editable = {"legal_hold", "legal_hold_reason"}
            return (*(f.name for f in Consent._meta.fields if f.name not in editable), "receipt")
        return self.readonly_fields

    @admin.display(description=_("receipt"))
    def receipt(self, obj: Consent) -> str:
        return _receipt_link(obj.subject_id) if obj.pk else "—"

    def save_model(self, request: HttpRequest, obj: Consent, form, change: bool) -> None:
        if change:
            services.consent_legal_hold_set(
                consent=obj,
                legal_hold=form.cleaned_data["legal_hold"],
                legal_hold_reason=form.cleaned_data["legal_hold_reason"],
                actor=acting_user(request),
                reason=self.reason_from(form, change),
            )
            return
        data = {k: v for k, v in form.cleaned_data.items() if k != "change_reason"}
        data["evidence_file"] = data.pop("evidence_file") or None
        given = services.consent_give(
            actor=acting_user(request), reason=self.reason_from(form, change), **data
        )
        self.adopt_saved(obj, given)

    @admin.action(description=_("Withdraw the selected consents"), permissions=("change",))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Consent]):
        def run(data: dict[str, Any]) -> None:
            count = len(
                services.consents_withdraw_selected(
                    consents=queryset.select_related("subject", "purpose"),
                    channel=data["channel"],
                    actor=acting_user(request),
                    reason=data["reason"],
                )
            )
            self.message_user(
                request,
                ngettext("%(count)d consent withdrawn.", "%(count)d consents withdrawn.", count)
                % {"count": count},
            )

        return action_with_form(
            self, request, queryset, run, form_class=WithdrawForm,
            title=_("Withdraw consents"), action_name="withdraw",
        )  # fmt: skip

    @admin.action(description=_("Record a refused withdrawal"), permissions=("change",))
    def refuse_withdrawal(self, request: HttpRequest, queryset: QuerySet[Consent]):
        def run(data: dict[str, Any]) -> None:
            count = len(
                services.consents_withdrawal_refuse_selected(
                    consents=queryset, actor=acting_user(request), **data
                )
            )
            self.message_user(
                request,
                ngettext(
                    "Refusal recorded for %(count)d consent.",
                    "Refusal recorded for %(count)d consents.",
                    count,
                )
                % {"count": count},
            )

        return action_with_form(
            self, request, queryset, run, form_class=RefuseWithdrawalForm,
            title=_("Record a refused withdrawal"), action_name="refuse_withdrawal",
        )  # fmt: skip

    @admin.action(description=_("E-mail the consent receipt to the subject"),
                  permissions=("send_receipt",))  # fmt: skip
    def send_receipt(self, request: HttpRequest, queryset: QuerySet[Consent]):
        sent = consent_receipts_send(consents=queryset.select_related("subject"))
        self.message_user(
            request,
            ngettext(
                "Receipt sent to %(count)d subject.",
                "Receipts sent to %(count)d subjects.",
                len(sent),
            )
            % {"count": len(sent)},
        )

    def has_send_receipt_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("consents.send_consent_receipt")

    change_list_template = "admin/consents/consent/change_list.html"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.receipt_view)
        depersonalised = self.admin_site.admin_view(self.depersonalised_view)
        return [
            path("receipt/<int:subject_id>/", view, name="consents_consent_receipt"),
            path("depersonalised/", depersonalised, name="consents_consent_depersonalised"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        may = request.user.has_perm("consents.export_depersonalised")
        return super().changelist_view(
            request, {**(extra_context or {}), "may_export_depersonalised": may}
        )

    def depersonalised_view(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        """The register without identifiers, for the analytics and research purposes."""
        if not request.user.has_perm("consents.export_depersonalised"):
            raise PermissionDenied
        wanted = request.GET.get("format")
        if wanted not in ("csv", "xlsx"):
            context = {
                **self.admin_site.each_context(request),
                "title": _("Depersonalised export of the consent register"),
                "opts": self.model._meta,
                "city_min": depersonalised.CITY_MIN_SUBJECTS,
            }
            return TemplateResponse(request, "admin/consents/depersonalised.html", context)
        security_event("export", actor=acting_user(request), model="consents.consent",
                       format=wanted, scope="depersonalised")  # fmt: skip
        name = f"consents-depersonalised-{timezone.localdate():%Y-%m-%d}.{wanted}"
        response: HttpResponse | StreamingHttpResponse
        if wanted == "csv":
            response = StreamingHttpResponse(
                depersonalised.depersonalised_csv(), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(depersonalised.depersonalised_xlsx(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def receipt_view(self, request: HttpRequest, subject_id: int) -> HttpResponse:
        """A printable receipt of the subject's live consents, in the subject's language."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        subject = get_object_or_404(Subject, pk=subject_id)
        receipt = consent_receipt(subject=subject)
        with translation.override(receipt.language):
            response = TemplateResponse(
                request, "consents/receipt.html", {"receipt": receipt, "operator": receipt.operator}
            )
            return response.render()


@admin.register(WithdrawalRefusal)
class WithdrawalRefusalAdmin(ErasedSubjectReadOnly, HistoryAdmin):
    list_display = ("consent", "ground", "channel", "refused_at", "refused_by")
    list_filter = ("ground", "channel")
    list_select_related = ("consent", "refused_by")
    readonly_fields = ("consent", "ground", "detail", "channel", "refused_at", "refused_by")
    subject_path = "consent__subject"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # recorded through the consent list's action, with the consent at hand


@admin.register(SuppressionEntry)
class SuppressionEntryAdmin(HistoryAdmin):
    list_display = ("kind", "digest", "reason", "created_at")
    list_filter = ("kind", "reason")
    # Searched by the hash of what is typed (suppression_search): the list holds no addresses.
    search_fields = ("digest",)
    search_help_text = _("An e-mail address or a phone number: the list is searched by its hash.")
    readonly_fields = ("kind", "digest", "reason", "created_at")
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[SuppressionEntry], search_term: str
    ) -> tuple[QuerySet[SuppressionEntry], bool]:
        return suppression_search(queryset, search_term), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # filled by unsubscribe, withdrawal and erasure only

    def has_delete_permission(
        self, request: HttpRequest, obj: SuppressionEntry | None = None
    ) -> bool:
        return False  # deleting an entry would let an old list bring the person back

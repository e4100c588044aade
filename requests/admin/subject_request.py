from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import (
    HistoryAdmin,
    ReasonedModelForm,
    acting_user,
    raw_email_response,
    stored_file_response,
)
from common.admin_export import SafeExportMixin
from common.pagination import EstimatedCountPaginator
from requests.access_report import access_report
from requests.admin.actions import ACTIONS, OfferedActions, answer_draft_initial, offered_actions
from requests.admin.facts import request_facts
from requests.admin.filters import CompleteFilter, DueFilter, KindConfirmedFilter
from requests.admin.inlines import (
    ActionInline,
    AttachmentInline,
    PauseInline,
    PublicRemovalInline,
)
from requests.forms import ConfirmForm, MatchForm, ReplyForm, WithdrawForm
from requests.models import (
    DeadlineUnit,
    RequestAttachment,
    RequestChannel,
    SubjectRequest,
)
from requests.report_documents import access_report_html, access_report_pdf
from requests.services import answers
from requests.services.base import RequestError
from requests.services.intake import (
    EDITABLE_FIELDS,
    REGISTER_FIELDS,
    request_register,
    request_update,
    requests_kind_confirm,
)
from subjects.representation import REPRESENTATIVE_FIELDS, representative_form_clean

# Forms of the actions whose button acts on the request's page itself (see _desk_context).
IN_PLACE_FORMS = (ConfirmForm, WithdrawForm)


class RepresentativeCheckForm(ReasonedModelForm):
    """The request's form: a representative is recorded whole (name, capacity, document, date)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        representative_form_clean(self, cleaned)
        return cleaned


class RegisterForm(forms.ModelForm):
    """A request that came by post, in person or through the site, typed in by staff."""

    class Meta:
        model = SubjectRequest
        fields = REGISTER_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "channel" in self.fields:
            self.fields["channel"].choices = [  # type: ignore[attr-defined]
                c for c in RequestChannel.choices if c[0] != RequestChannel.EMAIL
            ]


@admin.register(SubjectRequest)
class SubjectRequestAdmin(SafeExportMixin, HistoryAdmin):
    list_display = (
        # Fits a 1366 px screen: the channel is a filter and on the request's page.
        "number", "kind_shown", "status", "received_at", "due_date", "requester",
        "subject", "assignee", "complete",
    )  # fmt: skip
    # Received: a date filter, not Django's date hierarchy, whose two queries (the first and
    # last dates, then the distinct years) read the whole table on every page of the list.
    list_filter = (
        DueFilter, "status", "kind", KindConfirmedFilter, CompleteFilter, "channel", "assignee",
        ("received_at", admin.DateFieldListFilter), "attachment_to_read", "message_id_reused",
    )  # fmt: skip
    search_fields = (
        "reply_email", "requester_last_name", "requester_first_name", "subject__email",
    )  # fmt: skip
    list_select_related = ("subject", "assignee")
    autocomplete_fields = ("subject",)
    readonly_fields = (
        "status", "suggested_kind", "kind_confirmed_at", "kind_confirmed_by", "channel",
        "received_at", "due_date", "target_date", "deadline_shown", "message_subject",
        "raw_message_link", "forwarded_by", "attachment_to_read", "message_id_reused",
        "card_numbers_masked", "candidates_shown", "refusal_reason",
        "answer_subject", "answer_body", "answered_at", "answered_via", "created_at",
        "updated_at",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("kind", "suggested_kind", "kind_confirmed_at", "kind_confirmed_by",
                           "status", "assignee", "language")}),
        (_("Deadline"), {"fields": ("received_at", "due_date", "target_date",
                                    "deadline_shown")}),
        (_("Requester as written"), {"fields": (
            "requester_last_name", "requester_first_name", "requester_patronymic", "reply_email",
            "reply_postal_address", "channel", "message_subject", "content", "raw_message_link",
            "forwarded_by", "attachment_to_read", "message_id_reused", "card_numbers_masked",
        )}),
        (_("Data subject"), {"fields": ("subject", "candidates_shown")}),
        (_("Legal representative (Arts. 7, 24)"), {"fields": REPRESENTATIVE_FIELDS,
                                                    "classes": ("collapse",)}),
        (_("Outcome"), {"fields": ("refusal_reason", "answer_subject", "answer_body",
                                   "answered_at", "answered_via", "created_at", "updated_at")}),
    )  # fmt: skip
    add_fieldsets = (
        (None, {"fields": ("kind", "channel", "received_at", "language", "assignee")}),
        (_("Requester as written"), {"fields": (
            "requester_last_name", "requester_first_name", "requester_patronymic", "reply_email",
            "reply_postal_address", "content",
        )}),
        (_("Data subject"), {"fields": ("subject",)}),
        (_("Legal representative (Arts. 7, 24)"), {"fields": REPRESENTATIVE_FIELDS}),
    )  # fmt: skip
    form = RepresentativeCheckForm
    inlines = (ActionInline, PauseInline, PublicRemovalInline, AttachmentInline)
    actions = ("confirm_kind",)
    show_full_result_count = False
    list_per_page = 50  # as the subject list: each row costs rendering, not queries
    paginator = EstimatedCountPaginator
    change_form_template = "admin/requests/subjectrequest/change_form.html"
    change_list_template = "admin/requests/subjectrequest/change_list.html"  # rows.py

    # --- list ---------------------------------------------------------------------------------
    @admin.display(description=_("number"), ordering="pk")
    def number(self, obj: SubjectRequest) -> str:
        return f"#{obj.pk}"

    @admin.display(description=_("kind"), ordering="kind")
    def kind_shown(self, obj: SubjectRequest) -> str:
        if obj.kind_confirmed:
            return obj.get_kind_display()
        return format_html("{} <em>({})</em>", obj.get_kind_display(), _("to confirm"))

    @admin.display(description=_("requester"))
    def requester(self, obj: SubjectRequest) -> str:
        return (
            " ".join(p for p in (obj.requester_last_name, obj.requester_first_name) if p)
            or obj.reply_email
        )

    @admin.display(boolean=True, description=_("complete"))
    def complete(self, obj: SubjectRequest) -> bool:
        return obj.is_complete

    @admin.action(description=_("Confirm the suggested kind"), permissions=("change",))
    def confirm_kind(self, request: HttpRequest, queryset: QuerySet[SubjectRequest]) -> None:
        confirmed = requests_kind_confirm(requests=queryset, actor=acting_user(request))
        self.message_user(
            request, _("Kind confirmed on %(count)d request(s).") % {"count": confirmed}
        )

    # --- page ---------------------------------------------------------------------------------
    @admin.display(description=_("deadline rule"))
    def deadline_shown(self, obj: SubjectRequest) -> str:
        if obj.deadline_days is None:
            return "—"
        text = str(_("legal limit %(period)s")) % {
            "period": deadline_text(obj.deadline_days, obj.deadline_unit, obj.extension_days)
        }
        if obj.target_days:
            text += "; " + str(_("internal target %(days)d (by %(date)s)")) % {
                "days": obj.target_days,
                "date": formats.date_format(obj.target_date, "DATE_FORMAT")
                if obj.target_date
                else "—",
            }
        return text

    @admin.display(description=_("original message"))
    def raw_message_link(self, obj: SubjectRequest) -> str:
        if not obj.pk or not obj.raw_message:
            return "—"
        url = reverse("admin:requests_subjectrequest_raw", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download .eml"))

    @admin.display(description=_("possible data subjects"))
    def candidates_shown(self, obj: SubjectRequest) -> str:
        if not obj.pk:
            return "—"
        links = [
            format_html(
                '<a href="{}">{}</a> ({})',
                reverse("admin:subjects_subject_change", args=[s.pk]),
                s,
                s.email,
            )
            for s in obj.candidates.all()
        ]
        return format_html("<br>".join(["{}"] * len(links)), *links) if links else "—"

    def get_fieldsets(self, request: HttpRequest, obj: SubjectRequest | None = None) -> list:
        if obj is None:
            return [*self.add_fieldsets, self.reason_fieldset]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: SubjectRequest | None = None) -> tuple:
        if obj is None:
            return ()
        fixed = tuple(self.readonly_fields)
        if not obj.is_open:
            return fixed + EDITABLE_FIELDS
        if obj.channel == RequestChannel.EMAIL:
            return (*fixed, "content")  # the letter is what it is; staff note what it means
        return fixed

    def get_form(
        self, request: HttpRequest, obj: SubjectRequest | None = None, **kwargs: Any
    ) -> type:
        if obj is None:
            kwargs["form"] = type("RegisterReasonedForm", (self.form, RegisterForm), {})
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request: HttpRequest, obj: SubjectRequest | None) -> tuple:
        return self.inlines if obj else ()

    def has_delete_permission(
        self, request: HttpRequest, obj: SubjectRequest | None = None
    ) -> bool:
        return False  # a request and what was done on it are evidence

    def save_model(
        self, request: HttpRequest, obj: SubjectRequest, form: forms.Form, change: bool
    ) -> None:
        reason = self.reason_from(form, change)
        if change:
            data = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in EDITABLE_FIELDS
            }
            fresh = SubjectRequest.objects.get(pk=obj.pk)
            request_update(
                subject_request=fresh, actor=acting_user(request), reason=reason, data=data
            )
            return
        data = {name: value for name, value in form.cleaned_data.items() if name in REGISTER_FIELDS}
        saved = request_register(actor=acting_user(request), reason=reason, data=data)
        self.adopt_saved(obj, saved)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if obj is not None:
            extra_context.update(self._desk_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def _desk_context(self, request: HttpRequest, obj: SubjectRequest) -> dict[str, Any]:
        """The facts of the request, what it calls for, and the prepared answer."""
        user = acting_user(request)
        can_act = self.has_change_permission(request, obj)
        offered = offered_actions(obj, user) if can_act else OfferedActions([], [], {})
        context: dict[str, Any] = {
            "can_act": can_act,
            "facts": request_facts(obj),
            "request_actions": [
                (action, reason, self._act_url(obj, action.name))
                for action, reason in offered.buttons
            ],
            # The buttons that act in place: a step with nothing to type, or only the ticks its
            # page would preset (the consents of a withdrawal), posts from the request's page.
            "in_place": {
                action.name: action.form_class(
                    initial=action.initial(obj), **action.form_kwargs(obj)
                )
                for action, reason in offered.buttons
                if reason is None and action.form_class in IN_PLACE_FORMS
            },
            "other_actions": [
                (action, self._act_url(obj, action.name)) for action in offered.other
            ],
        }
        if "match" in offered.panels and not (obj.kind_confirmed and obj.subject_id):
            context["match_form"] = MatchForm(
                initial={"kind": obj.kind, "subject": obj.subject_id}, subject_request=obj
            )
            context["match_url"] = self._act_url(obj, "match")
        elif "match" in offered.panels:
            context["match_url"] = self._act_url(obj, "match")
        drafts: dict[str, Callable[[], object]] = {}
        if "answer" in offered.panels:
            drafts["answer_form"] = lambda: ReplyForm(
                initial=answer_draft_initial()(obj), report=answers.report_goes_with(obj)
            )
        if obj.is_open and not obj.is_complete and obj.reply_email:
            drafts["prepared_reply"] = lambda: answers.information_request_draft(obj)
        for name, draft in drafts.items():
            try:
                context[name] = draft()
            except RequestError as error:  # its template was deleted: say so, show the rest
                if request.method == "GET":
                    self.message_user(request, " ".join(error.messages), messages.WARNING)
        if "answer_form" in context:
            context["answer_waits"] = offered.panels["answer"]
            context["answer_url"] = self._act_url(obj, "answer")
        return context

    def _act_url(self, obj: SubjectRequest, action: str) -> str:
        return reverse("admin:requests_subjectrequest_act", args=[obj.pk, action])

    # --- extra pages --------------------------------------------------------------------------
    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        name = "requests_subjectrequest_"
        return [
            path("<int:pk>/act/<slug:action>/", view(self.action_view), name=f"{name}act"),
            path("<int:pk>/access-report/", view(self.report_view), name=f"{name}report"),
            path(
                "<int:pk>/access-report.pdf", view(self.report_pdf_view), name=f"{name}report_pdf"
            ),
            path(
                "<int:pk>/access-report.json",
                view(self.report_json_view),
                name=f"{name}report_json",
            ),
            path("<int:pk>/message.eml", view(self.raw_view), name=f"{name}raw"),
            path("attachment/<int:pk>/", view(self.attachment_view), name=f"{name}attachment"),
            *super().get_urls(),
        ]

    def _change_url(self, obj: SubjectRequest) -> str:
        return reverse("admin:requests_subjectrequest_change", args=[obj.pk])

    def action_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        obj = get_object_or_404(SubjectRequest.objects.select_related("subject"), pk=pk)
        chosen = ACTIONS.get(action)
        if chosen is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        reason = chosen.unavailable(obj, acting_user(request))
        if reason:
            self.message_user(request, reason, messages.WARNING)
            return HttpResponseRedirect(self._change_url(obj))
        kwargs = chosen.form_kwargs(obj)
        if request.method == "POST":
            form = chosen.form_class(request.POST, **kwargs)
            if form.is_valid():
                try:
                    chosen.run(obj, form, acting_user(request))
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(request, chosen.done)
                    return HttpResponseRedirect(self._change_url(obj))
        else:
            form = chosen.form_class(initial=chosen.initial(obj), **kwargs)
        context = {
            **self.admin_site.each_context(request),
            "title": chosen.label,
            "subtitle": str(obj),
            "opts": self.model._meta,
            "original": obj,
            "form": form,
            "action": chosen,
        }
        return TemplateResponse(request, "admin/requests/subjectrequest/action.html", context)

    def _subject_of(self, request: HttpRequest, pk: int) -> SubjectRequest:
        obj = get_object_or_404(SubjectRequest.objects.select_related("subject"), pk=pk)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if obj.subject is None:
            raise Http404("The request is matched to no data subject.")
        return obj

    def report_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The access report as a printable page, in the language of the request's answer."""
        obj = self._subject_of(request, pk)
        report = access_report(subject=obj.subject, language=obj.language)  # type: ignore[arg-type]
        return HttpResponse(access_report_html(report, request_number=obj.pk))

    def report_pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self._subject_of(request, pk)
        report = access_report(subject=obj.subject, language=obj.language)  # type: ignore[arg-type]
        response = HttpResponse(
            access_report_pdf(report, request_number=obj.pk), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="access-report-{obj.pk}.pdf"'
        return response

    def report_json_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self._subject_of(request, pk)
        report = access_report(subject=obj.subject, language=obj.language)  # type: ignore[arg-type]
        response = JsonResponse(
            report.as_dict(), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="access-report-{obj.pk}.json"'
        return response

    def raw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_object_or_404(SubjectRequest, pk=pk)
        return raw_email_response(request, self, obj, filename=f"request-{obj.pk}.eml")

    def attachment_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = get_object_or_404(RequestAttachment, pk=pk)
        return stored_file_response(
            attachment.file,
            allowed=self.has_view_permission(request, attachment.request),
            filename=attachment.filename or "attachment",
            content_type=attachment.content_type or "application/octet-stream",
        )


def deadline_text(days: int, unit: str, extension_days: int = 0) -> str:
    """ "10 working days", «1 рабочий день», «1 жұмыс күні»: the number with its plural."""
    if unit == DeadlineUnit.CALENDAR_DAYS:
        text = ngettext("%(count)d calendar day", "%(count)d calendar days", days)
    else:
        text = ngettext("%(count)d working day", "%(count)d working days", days)
    text %= {"count": days}
    if extension_days:
        text += " + " + str(_("%(days)d extended") % {"days": extension_days})
    return text

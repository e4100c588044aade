"""The breach register in the admin: an interface over `incidents.services` and `selectors`.

The privacy officer opens, edits, notifies and closes; staff open incidents and add measures;
the auditor reads. The affected list is personal data: whoever sees it (its page, the notice's
attachment) is written to the security log.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, ReadOnlyInline, ReasonedModelForm, acting_user
from common.security_log import security_event
from incidents import services
from incidents.exports import affected_csv_lines, affected_xlsx
from incidents.forms import AffectedForm, CloseForm, MeasureForm, NotifyForm
from incidents.models import (
    AffectedSource,
    AffectedSubject,
    Incident,
    IncidentMeasure,
    IncidentState,
    NotificationRule,
)
from incidents.notice import NOTICE_LANGUAGES, incident_notice, notice_language
from incidents.selectors import (
    affected_count,
    due_moment,
    listed_count,
    subjects_with_category_at_processor,
)

LIST_PERMISSION = "incidents.view_affectedsubject"


class IncidentForm(ReasonedModelForm):
    def clean_detected_at(self) -> Any:
        detected_at = self.cleaned_data.get("detected_at")
        error = services.detection_time_error(detected_at)
        if error:
            raise forms.ValidationError(error)
        return detected_at


class MeasureInline(ReadOnlyInline):
    model = IncidentMeasure
    fields = ("taken_at", "description", "recorded_by")
    select_related = ("recorded_by",)


@admin.register(Incident)
class IncidentAdmin(HistoryAdmin):
    form = IncidentForm
    list_display = (
        "number", "kind", "state", "detected_at", "due_date", "time_left", "notified_at",
        "authority_reference",
    )  # fmt: skip
    list_filter = ("state", "kind", "risk_level")
    search_fields = ("authority_reference", "description")
    readonly_fields = (
        "state", "due_date", "time_left", "deadline_shown", "affected_shown",
        "complaint_shown", "notified_at", "notified_via", "authority_reference", "notified_by",
        "closed_at", "closed_by", "closing_note", "opened_by", "created_at", "updated_at",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("kind", "state", "description", "detected_at", "detected_by",
                           "detection_method", "complaint_shown")}),
        (_("Deadline"), {"fields": ("due_date", "time_left", "deadline_shown")}),
        (_("Scope"), {"fields": ("systems", "processors", "data_categories",
                                 "affected_shown")}),
        (_("Risk"), {"fields": ("risk_level", "risk_assessment")}),
        (_("Responsible person"), {"fields": ("responsible_person",
                                              "responsible_person_contacts")}),
        (_("Notice to the authorised body"), {"fields": (
            "notified_at", "notified_via", "authority_reference", "notified_by",
        )}),
        (_("Closing"), {"fields": ("closed_at", "closed_by", "closing_note", "opened_by",
                                   "created_at", "updated_at")}),
    )  # fmt: skip
    add_fieldsets = (
        (None, {"fields": ("kind", "description", "detected_at", "detected_by",
                           "detection_method")}),
        (_("Scope"), {"fields": ("systems", "processors", "data_categories")}),
        (_("Risk"), {"fields": ("risk_level", "risk_assessment")}),
        (_("Responsible person"), {"fields": ("responsible_person",
                                              "responsible_person_contacts")}),
    )  # fmt: skip
    filter_horizontal = ()
    inlines = (MeasureInline,)
    date_hierarchy = "detected_at"
    change_form_template = "admin/incidents/incident/change_form.html"

    # --- list ---------------------------------------------------------------------------------
    @admin.display(description=_("number"), ordering="pk")
    def number(self, obj: Incident) -> str:
        return f"#{obj.pk}"

    @admin.display(description=_("time left"))
    def time_left(self, obj: Incident) -> str:
        if obj.state != IncidentState.OPEN or obj.due_date is None:
            return "—"
        left = due_moment(obj.due_date) - timezone.now()
        hours = int(left.total_seconds() // 3600)
        if hours < 0:
            return format_html(
                '<strong style="color: var(--error-fg);">{}</strong>',
                _("overdue by %(hours)d h") % {"hours": -hours},
            )
        return _("%(hours)d h") % {"hours": hours}

    # --- page ---------------------------------------------------------------------------------
    @admin.display(description=_("deadline rule"))
    def deadline_shown(self, obj: Incident) -> str:
        if obj.deadline_days is None:
            return "—"
        return f"{obj.deadline_days} {obj.get_deadline_unit_display()}"

    @admin.display(description=_("affected data subjects"))
    def affected_shown(self, obj: Incident) -> str:
        if not obj.pk:
            return "—"
        total, listed = affected_count(obj), listed_count(obj)
        text = _("%(total)d in all; %(listed)d on the list (the others were erased since)") % {
            "total": total,
            "listed": listed,
        }
        url = (
            reverse("admin:incidents_affectedsubject_changelist") + f"?incident__id__exact={obj.pk}"
        )
        return format_html('{} · <a href="{}">{}</a>', text, url, _("see the list"))

    @admin.display(description=_("complaint"))
    def complaint_shown(self, obj: Incident) -> str:
        if not obj.complaint_request_id:
            return "—"
        url = reverse("admin:requests_subjectrequest_change", args=[obj.complaint_request_id])
        return format_html('<a href="{}">#{}</a>', url, obj.complaint_request_id)

    def get_fieldsets(self, request: HttpRequest, obj: Incident | None = None) -> list:
        if obj is None:
            return [*self.add_fieldsets, self.reason_fieldset]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Incident | None = None) -> tuple:
        if obj is not None and services.edit_unavailable(obj):
            return (*self.readonly_fields, *services.EDITABLE_FIELDS, "processors")
        return self.readonly_fields

    def get_inlines(self, request: HttpRequest, obj: Incident | None) -> tuple:
        return self.inlines if obj else ()

    def has_delete_permission(self, request: HttpRequest, obj: Incident | None = None) -> bool:
        return False  # a breach and what was done about it are evidence

    def save_model(
        self, request: HttpRequest, obj: Incident, form: forms.Form, change: bool
    ) -> None:
        reason = self.reason_from(form, change)
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.EDITABLE_FIELDS
        }
        processors = form.cleaned_data.get("processors")
        if change:
            services.incident_update(
                incident=obj,
                actor=acting_user(request),
                reason=reason,
                data=data,
                processors=processors if "processors" in form.changed_data else None,
            )
            return
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in services.EDITABLE_FIELDS
        }
        saved = services.incident_open(
            actor=acting_user(request), reason=reason, data=data, processors=processors or ()
        )
        self.adopt_saved(obj, saved)

    def save_related(
        self, request: HttpRequest, form: forms.Form, formsets: Any, change: bool
    ) -> None:
        # The service has set the processors; the measures inline is read-only.
        return

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
            extra_context["incident_steps"] = self._steps(request, obj)
            extra_context["notice_links"] = [
                (language, reverse("admin:incidents_incident_notice", args=[obj.pk, language]))
                for language in NOTICE_LANGUAGES
            ]
            if request.user.has_perm(LIST_PERMISSION):
                extra_context["list_links"] = [
                    (
                        language,
                        fmt,
                        reverse("admin:incidents_incident_list", args=[obj.pk, fmt])
                        + f"?language={language}",
                    )
                    for language in ("kk", "ru")
                    for fmt in ("xlsx", "csv")
                ]
        return super().change_view(request, object_id, form_url, extra_context)

    def _steps(self, request: HttpRequest, obj: Incident) -> list[tuple[Any, str | None, str]]:
        """(label, why it is unavailable or None, url) of each step of the incident's page."""
        change = self.has_change_permission(request, obj)
        not_officer = str(_("Only the privacy officer may do this."))

        def step(
            label: Any, allowed: bool, reason: str | None, page: str
        ) -> tuple[Any, str | None, str]:
            url = reverse(f"admin:incidents_incident_{page}", args=[obj.pk])
            return label, reason if allowed else not_officer, url

        measure_allowed = request.user.has_perm("incidents.add_incidentmeasure")
        return [
            step(_("Add a measure"), measure_allowed, services.edit_unavailable(obj), "measure"),
            step(_("Add affected subjects"), change, services.edit_unavailable(obj), "affected"),
            step(
                _("Record the notice as sent"), change, services.notify_unavailable(obj), "notify"
            ),
            step(_("Close the incident"), change, services.close_unavailable(obj), "close"),
        ]

    # --- extra pages --------------------------------------------------------------------------
    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        name = "incidents_incident_"
        return [
            path("<int:pk>/measure/", view(self.measure_view), name=f"{name}measure"),
            path("<int:pk>/affected/", view(self.affected_view), name=f"{name}affected"),
            path("<int:pk>/notify/", view(self.notify_view), name=f"{name}notify"),
            path("<int:pk>/close/", view(self.close_view), name=f"{name}close"),
            path("<int:pk>/notice/<slug:language>/", view(self.notice_view), name=f"{name}notice"),
            path("<int:pk>/affected-list.<slug:fmt>", view(self.list_view), name=f"{name}list"),
            *super().get_urls(),
        ]

    def _page(
        self, request: HttpRequest, obj: Incident, *, title: Any, form: forms.Form, help_text: Any
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": str(obj),
            "opts": self.model._meta,
            "original": obj,
            "form": form,
            "help_text": help_text,
        }
        return TemplateResponse(request, "admin/incidents/incident/step.html", context)

    def _done(self, request: HttpRequest, obj: Incident, message: Any) -> HttpResponse:
        self.message_user(request, message)
        return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[obj.pk]))

    def _step(
        self,
        request: HttpRequest,
        pk: int,
        *,
        allowed: bool,
        unavailable: Any,
        form_class: type[forms.Form],
        initial: dict[str, Any],
        run: Any,
        title: Any,
        done: Any,
        help_text: Any = "",
    ) -> HttpResponse:
        obj = get_object_or_404(Incident, pk=pk)
        if not allowed:
            raise PermissionDenied
        reason = unavailable(obj)
        if reason:
            self.message_user(request, reason, messages.WARNING)
            return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[pk]))
        if request.method == "POST":
            form = form_class(request.POST, request.FILES)
            if form.is_valid():
                try:
                    message = run(obj, form.cleaned_data)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return self._done(request, obj, message or done)
        else:
            form = form_class(initial=initial)
        return self._page(request, obj, title=title, form=form, help_text=help_text)

    def measure_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        now = timezone.localtime().replace(second=0, microsecond=0)
        return self._step(
            request,
            pk,
            allowed=request.user.has_perm("incidents.add_incidentmeasure"),
            unavailable=services.edit_unavailable,
            form_class=MeasureForm,
            initial={"taken_at": now},
            run=lambda obj, data: services.incident_measure_add(
                incident=obj, actor=acting_user(request), **data
            ),
            title=_("Add a measure"),
            done=_("Measure recorded."),
        )

    def notify_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        now = timezone.localtime().replace(second=0, microsecond=0)
        return self._step(
            request,
            pk,
            allowed=self.has_change_permission(request),
            unavailable=services.notify_unavailable,
            form_class=NotifyForm,
            initial={"notified_at": now},
            run=lambda obj, data: services.incident_notify(
                incident=obj, actor=acting_user(request), **data
            ),
            title=_("Record the notice as sent"),
            done=_("The notice to the authorised body is recorded."),
            help_text=_("Send the notice (kk and ru) with the list of affected subjects first."),
        )

    def close_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._step(
            request,
            pk,
            allowed=self.has_change_permission(request),
            unavailable=services.close_unavailable,
            form_class=CloseForm,
            initial={},
            run=lambda obj, data: services.incident_close(
                incident=obj, actor=acting_user(request), **data
            ),
            title=_("Close the incident"),
            done=_("The incident is closed."),
        )

    def affected_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        def run(obj: Incident, data: dict[str, Any]) -> str:
            added = 0
            picked = [subject.pk for subject in data.get("subjects") or []]
            if picked:
                added += services.incident_subjects_add(
                    incident=obj, subject_ids=picked, source=AffectedSource.PICKED,
                    actor=acting_user(request),
                )  # fmt: skip
            text = "\n".join(t for t in (data.get("list_text"), data.get("list_file_text")) if t)
            match = services.subjects_match(text) if text else services.ListMatch()
            if match.subject_ids:
                added += services.incident_subjects_add(
                    incident=obj, subject_ids=match.subject_ids, source=AffectedSource.LIST,
                    actor=acting_user(request),
                )  # fmt: skip
            if data.get("category"):
                found = subjects_with_category_at_processor(
                    category=data["category"], processor=data["processor"]
                ).values_list("pk", flat=True)
                added += services.incident_subjects_add(
                    incident=obj, subject_ids=found, source=AffectedSource.SELECTOR,
                    actor=acting_user(request),
                )  # fmt: skip
            message = _("%(added)d subject(s) added to the affected list.") % {"added": added}
            if match.values:
                message += " " + _(
                    "Of %(values)d values in the list, %(not_found)d matched no subject and "
                    "%(not_understood)d were not an e-mail, phone or IIN."
                ) % {
                    "values": match.values,
                    "not_found": match.not_found,
                    "not_understood": match.not_understood,
                }
            return message

        return self._step(
            request,
            pk,
            allowed=self.has_change_permission(request),
            unavailable=services.edit_unavailable,
            form_class=AffectedForm,
            initial={},
            run=run,
            title=_("Add affected subjects"),
            done="",
            help_text=_(
                "Erased subjects are never added. Values of the list are matched, not kept."
            ),
        )

    def notice_view(self, request: HttpRequest, pk: int, language: str) -> HttpResponse:
        """The notice as a printable page in Kazakh or Russian (or English, for reading)."""
        obj = get_object_or_404(Incident, pk=pk)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if language not in NOTICE_LANGUAGES:
            raise Http404
        notice = incident_notice(obj, language=language)
        with translation.override(notice.language):
            response = TemplateResponse(
                request,
                "incidents/notice.html",
                {"notice": notice, "operator": notice.operator_name},
            )
            return response.render()

    def list_view(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
        """The affected list (FIO, IIN, mobile phone) as CSV or XLSX; each download is logged."""
        obj = get_object_or_404(Incident, pk=pk)
        if not request.user.has_perm(LIST_PERMISSION):
            raise PermissionDenied
        if fmt not in ("csv", "xlsx"):
            raise Http404
        language = notice_language(request.GET.get("language", "ru"))
        security_event(
            "affected_list_export",
            actor=acting_user(request),
            incident_id=obj.pk,
            rows=listed_count(obj),
            format=fmt,
        )
        filename = f"incident-{obj.pk}-subjects-{language}.{fmt}"
        if fmt == "csv":
            response = StreamingHttpResponse(
                affected_csv_lines(obj, language=language), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        return FileResponse(
            affected_xlsx(obj, language=language),
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


@admin.register(AffectedSubject)
class AffectedSubjectAdmin(HistoryAdmin):
    """Who was affected, per incident. Added on the incident's page; a mistake can be removed."""

    list_display = ("incident", "subject", "subject_state", "source", "added_at", "added_by")
    list_filter = ("source",)
    list_select_related = ("incident", "subject", "added_by")
    readonly_fields = ("incident", "subject", "source", "added_at", "added_by")
    show_full_result_count = False

    @admin.display(description=_("state of the subject"))
    def subject_state(self, obj: AffectedSubject) -> str:
        return obj.subject.get_state_display()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: AffectedSubject | None = None
    ) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        security_event(
            "affected_list_view",
            actor=acting_user(request),
            incident_id=request.GET.get("incident__id__exact", ""),
        )
        return super().changelist_view(request, extra_context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        security_event("affected_list_view", actor=acting_user(request), affected_id=object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_model(self, request: HttpRequest, obj: AffectedSubject) -> None:
        services.incident_subject_remove(
            affected=obj,
            actor=acting_user(request),
            reason=str(_("Removed from the affected list")),
        )


@admin.register(NotificationRule)
class NotificationRuleAdmin(HistoryAdmin):
    list_display = ("key", "days", "unit", "basis", "updated_at")
    fields = ("key", "days", "unit", "basis")

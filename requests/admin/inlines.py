"""Read-only lists on the request page (its steps, pauses, files); the requests panel and the
access report button of the subject's page."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyInline
from requests.models import (
    PublicSourceRemoval,
    RequestAction,
    RequestAttachment,
    RequestPause,
    SubjectRequest,
)
from subjects.admin_inlines import Button, Panel, add_subject_button, add_subject_panel
from subjects.models import Subject

REQUESTS_ON_PAGE = 50


@add_subject_panel(40)
def requests_panel(request: HttpRequest, subject: Subject) -> Panel | None:
    """The person's requests, newest first."""
    if not request.user.has_perm("requests.view_subjectrequest"):
        return None
    found = list(
        SubjectRequest.objects.filter(subject=subject)
        .only("kind", "status", "received_at", "due_date", "channel")
        .order_by("-received_at", "-pk")[: REQUESTS_ON_PAGE + 1]
    )
    more = ""
    if len(found) > REQUESTS_ON_PAGE:
        changelist = reverse("admin:requests_subjectrequest_changelist")
        more = f"{changelist}?subject__id__exact={subject.pk}"
    return Panel(
        title=str(_("Requests")),
        headers=[
            _("request"),
            _("kind"),
            _("status"),
            _("received at"),
            _("due date"),
            _("channel"),
        ],
        rows=[
            [
                format_html(
                    '<a href="{}">#{}</a>',
                    reverse("admin:requests_subjectrequest_change", args=[found_request.pk]),
                    found_request.pk,
                ),
                found_request.get_kind_display(),
                found_request.get_status_display(),
                found_request.received_at,
                found_request.due_date,
                found_request.get_channel_display(),
            ]
            for found_request in found[:REQUESTS_ON_PAGE]
        ],
        empty=str(_("No requests.")),
        more_url=more,
    )


@add_subject_button(10)
def access_report_button(request: HttpRequest, subject: Subject) -> Button | None:
    """The access report of the person's latest request (the report is drawn up for a request,
    in its language)."""
    if not request.user.has_perm("requests.view_subjectrequest"):
        return None
    latest = SubjectRequest.objects.filter(subject=subject).order_by("-received_at", "-pk").first()
    if latest is None:
        return None
    url = reverse("admin:requests_subjectrequest_report", args=[latest.pk])
    return Button(label=str(_("Access report")), url=url)


class ActionInline(ReadOnlyInline):
    model = RequestAction
    fields = ("acted_at", "kind", "actor", "note")
    verbose_name_plural = _("What was done")
    select_related = ("actor",)


class PauseInline(ReadOnlyInline):
    model = RequestPause
    fields = ("paused_at", "resumed_at", "paused_by", "note")
    select_related = ("paused_by",)


class PublicRemovalInline(ReadOnlyInline):
    model = PublicSourceRemoval
    fields = ("source", "removed_at", "recorded_by", "recorded_at")
    select_related = ("recorded_by",)


class AttachmentInline(ReadOnlyInline):
    model = RequestAttachment
    fields = ("download", "content_type", "size", "created_at")

    @admin.display(description=_("file"))
    def download(self, obj: RequestAttachment) -> str:
        url = reverse("admin:requests_subjectrequest_attachment", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.filename or _("(erased)"))

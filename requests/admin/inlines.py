"""Read-only lists on the request page (its steps, pauses, files) and on the subject's page."""

from django.contrib import admin
from django.db.models import QuerySet
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
from subjects.admin_inlines import add_subject_inline


@add_subject_inline
class SubjectRequestInline(ReadOnlyInline):
    model = SubjectRequest
    fk_name = "subject"
    fields = ("kind", "status", "received_at", "due_date", "channel")
    readonly_fields = fields


class ActionInline(ReadOnlyInline):
    model = RequestAction
    fields = ("acted_at", "kind", "actor", "note")
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = _("What was done")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor")


class PauseInline(ReadOnlyInline):
    model = RequestPause
    fields = ("paused_at", "resumed_at", "paused_by", "note")
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("paused_by")


class PublicRemovalInline(ReadOnlyInline):
    model = PublicSourceRemoval
    fields = ("source", "removed_at", "recorded_by", "recorded_at")
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("recorded_by")


class AttachmentInline(ReadOnlyInline):
    model = RequestAttachment
    fields = ("download", "content_type", "size", "created_at")
    readonly_fields = fields
    show_change_link = False

    @admin.display(description=_("file"))
    def download(self, obj: RequestAttachment) -> str:
        url = reverse("admin:requests_subjectrequest_attachment", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.filename or _("(erased)"))

"""Background jobs in the admin: what waits, runs and failed, and a retry for dead letters.

Replaces Procrastinate's own admin, which shows each job's arguments (an e-mail waiting to go
holds the address and the text) and offers actions nobody is granted.
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from procrastinate.contrib.django.models import ProcrastinateJob

from common.admin import acting_user
from jobs.services import jobs_retry

if admin.site.is_registered(ProcrastinateJob):
    admin.site.unregister(ProcrastinateJob)


class StatusFilter(admin.SimpleListFilter):
    """The status column is a PostgreSQL enum: a value outside it must filter, not fail."""

    title = _("status")
    parameter_name = "status"

    def lookups(
        self, request: HttpRequest, model_admin: "admin.ModelAdmin[ProcrastinateJob]"
    ) -> list[tuple[str, str]]:
        return [
            ("failed", str(_("failed every attempt (dead letters)"))),
            ("todo", str(_("waiting"))),
            ("doing", str(_("running"))),
            ("succeeded", str(_("done"))),
            ("cancelled", str(_("cancelled"))),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ProcrastinateJob]
    ) -> QuerySet[ProcrastinateJob]:
        value = self.value()
        if value is None:
            return queryset
        if value not in ProcrastinateJob.STATUSES:
            return queryset.none()
        return queryset.filter(status=value)


class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ("id", "task_name", "queue_name", "status", "attempts", "scheduled_at")
    list_filter = (StatusFilter, "queue_name", "task_name")
    fields = ("id", "task_name", "queue_name", "status", "attempts", "scheduled_at", "lock")
    readonly_fields = fields
    actions = ("retry",)
    show_full_result_count = False
    ordering = ("-id",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcrastinateJob]:
        return super().get_queryset(request).defer("args")  # never read what a job carries

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ProcrastinateJob | None = None
    ) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ProcrastinateJob | None = None
    ) -> bool:
        # "change" is the right to retry (an action on the list); a job's page is read-only.
        return obj is None and super().has_change_permission(request)

    @admin.action(description=_("Retry the selected failed jobs"), permissions=("change",))
    def retry(self, request: HttpRequest, queryset: QuerySet[ProcrastinateJob]) -> None:
        count = jobs_retry(jobs=queryset, actor=acting_user(request))
        self.message_user(
            request,
            ngettext("%(count)d job queued again.", "%(count)d jobs queued again.", count)
            % {"count": count},
        )


# The queue lives in PostgreSQL; the SQLite demo runs jobs in the web process and has none.
if settings.IS_POSTGRESQL:
    admin.site.register(ProcrastinateJob, BackgroundJobAdmin)

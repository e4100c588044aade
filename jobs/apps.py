from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.apps import ProcrastinateConfig

from common.fields import model_field


class QueueConfig(ProcrastinateConfig):
    """Procrastinate's app, under a name the admin can translate."""

    verbose_name = _("Job queue")


class JobsConfig(AppConfig):
    default = True
    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from procrastinate.contrib.django.models import (
            ProcrastinateEvent,
            ProcrastinateJob,
            ProcrastinatePeriodicDefer,
            ProcrastinateWorker,
        )

        # The library names its models and fields in English only; the admin (the job list, and
        # the permissions on the user and group pages) speaks kk, ru and en.
        names = {
            ProcrastinateJob: (_("background job"), _("background jobs")),
            ProcrastinateEvent: (_("job event"), _("job events")),
            ProcrastinatePeriodicDefer: (_("periodic job run"), _("periodic job runs")),
            ProcrastinateWorker: (_("job worker"), _("job workers")),
        }
        for model, (singular, plural) in names.items():
            model._meta.verbose_name = singular
            model._meta.verbose_name_plural = plural
        for name, label in JOB_FIELDS.items():
            model_field(ProcrastinateJob, name).verbose_name = label
        # Its own __str__ prints the call with its arguments (an address, a letter's text): the
        # admin writes str() into pages and its log, so a job is named by task and number only.
        ProcrastinateJob.__str__ = _job_str  # type: ignore[method-assign]


JOB_FIELDS = {
    "id": _("number"),
    "task_name": _("task"),
    "queue_name": _("queue"),
    "status": _("status"),
    "attempts": _("attempts"),
    "scheduled_at": _("scheduled at"),
    "lock": _("lock"),
}


def _job_str(job: object) -> str:
    return f"{job.task_name} #{job.pk}"  # type: ignore[attr-defined]

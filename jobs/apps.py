from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.apps import ProcrastinateConfig


class QueueConfig(ProcrastinateConfig):
    """Procrastinate's app, under a name the admin can translate."""

    verbose_name = _("Job queue")


class JobsConfig(AppConfig):
    default = True
    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from procrastinate.contrib.django.models import ProcrastinateJob

        # The library names its model in English only; the admin speaks kk, ru and en.
        ProcrastinateJob._meta.verbose_name = _("background job")
        ProcrastinateJob._meta.verbose_name_plural = _("background jobs")
        # Its own __str__ prints the call with its arguments (an address, a letter's text): the
        # admin writes str() into pages and its log, so a job is named by task and number only.
        ProcrastinateJob.__str__ = _job_str  # type: ignore[method-assign]


def _job_str(job: object) -> str:
    return f"{job.task_name} #{job.pk}"  # type: ignore[attr-defined]

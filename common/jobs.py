"""Enqueueing background work, in the transaction of the write that causes it.

`job_defer` puts a job into Procrastinate's queue table through the same database connection,
so a rolled-back write leaves no job and a committed one always has its job. With
`JOBS_INLINE` (the SQLite demo, most tests) the job runs in this process right after commit.

Callbacks that a job calls when it is done (a request closes once its answer has gone) are
named, not pickled: each app registers its own at `ready()`, and a job may only call those.
"""

import base64
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction

_callbacks: dict[str, Callable[..., None]] = {}


def callback_register(name: str, function: Callable[..., None]) -> None:
    _callbacks[name] = function


def callback(name: str) -> Callable[..., None]:
    """The registered callback `name`; a job can call nothing else."""
    return _callbacks[name]


def job_defer(task: Any, **kwargs: Any) -> None:
    """Enqueue `task` in the current transaction (or run it inline after commit)."""
    if settings.JOBS_INLINE:
        transaction.on_commit(lambda: task(**kwargs))
    else:
        task.defer(**kwargs)


def mail_enqueue(
    message: EmailMessage,
    *,
    on_sent: str = "",
    on_failed: str = "",
    callback_kwargs: dict[str, Any] | None = None,
) -> None:
    """Send `message` from a worker once the current transaction commits, with retries.

    Inline, the message goes as the caller built it, after commit, and a failure calls
    `on_failed` at once (there is no worker to try again).
    """
    kwargs = callback_kwargs or {}
    if settings.JOBS_INLINE:
        transaction.on_commit(
            lambda: _send_inline(message, on_sent=on_sent, on_failed=on_failed, kwargs=kwargs)
        )
        return
    from common.tasks import send_email

    send_email.defer(
        raw=base64.b64encode(message.message().as_bytes()).decode("ascii"),
        from_email=message.from_email,
        to=message.recipients(),
        on_sent=on_sent,
        on_failed=on_failed,
        callback_kwargs=kwargs,
    )


def _send_inline(
    message: EmailMessage, *, on_sent: str, on_failed: str, kwargs: dict[str, Any]
) -> None:
    try:
        message.send(fail_silently=False)
    except OSError as error:
        if not on_failed:
            raise
        callback(on_failed)(error=str(error), **kwargs)
        return
    if on_sent:
        callback(on_sent)(**kwargs)


def mail_jobs_forget(addresses: Iterable[str]) -> int:
    """Delete the e-mail jobs addressed to any of `addresses` that are not being sent right now
    (waiting, failed, cancelled): erasure calls it, so no letter goes to an erased person and no
    dead letter keeps their address and text. Returns how many were deleted.

    A job's arguments hold the whole message (common.tasks.send_email); sent jobs are deleted by
    the worker itself (PROCRASTINATE_WORKER_DEFAULTS["delete_jobs"]).
    """
    wanted = sorted({address.strip().lower() for address in addresses if "@" in (address or "")})
    if not wanted or connection.vendor != "postgresql":  # the demo on SQLite has no queue
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE task_name = 'send_email' AND status <> 'doing'"
            " AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(args -> 'to') AS t(address)"
            " WHERE lower(t.address) = ANY(%s))",
            [wanted],
        )
        return int(cursor.rowcount)

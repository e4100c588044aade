"""Jobs every app may enqueue: sending an e-mail. Run by the workers of Procrastinate.

A job's arguments are JSON in the queue table; they hold the message while it waits. A sent
message's job is deleted by the worker (PROCRASTINATE_WORKER_DEFAULTS); one that failed every
attempt stays as a dead letter (admin: Background jobs) until it is retried or cancelled.
"""

import base64
import email
import email.policy
import logging
from typing import Any

from django.core.mail import EmailMessage, get_connection
from procrastinate import JobContext, RetryStrategy
from procrastinate.contrib.django import app

from common import jobs

logger = logging.getLogger(__name__)

# 5 attempts over about half an hour: 1, 2, 4, 8 minutes... apart (a mail server's short outage).
MAIL_RETRY = RetryStrategy(max_attempts=5, wait=60, exponential_wait=2)


class StoredEmail(EmailMessage):
    """A message rendered when it was enqueued, sent as it was (attachments, Message-ID)."""

    def __init__(self, *, raw: bytes, from_email: str, to: list[str]) -> None:
        parsed = email.message_from_bytes(raw, policy=email.policy.SMTP)
        super().__init__(subject=str(parsed.get("Subject", "")), from_email=from_email, to=to)
        self._raw = raw

    def message(self, *, policy: Any = None) -> Any:
        # The backends send `message().as_bytes(linesep="\r\n")`: the stored bytes, as they were.
        return _Stored(self._raw)


class _Stored:
    def __init__(self, raw: bytes) -> None:
        self._message = email.message_from_bytes(raw, policy=email.policy.default)

    def __getitem__(self, name: str) -> Any:
        return self._message[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self._message.get(name, default)

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        policy = email.policy.default.clone(linesep=linesep)
        return self._message.as_bytes(unixfrom=unixfrom, policy=policy)

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(unixfrom, linesep).decode("utf-8", "surrogateescape")


@app.task(name="send_email", queue="mail", retry=MAIL_RETRY, pass_context=True)
def send_email(
    context: JobContext,
    *,
    raw: str,
    from_email: str,
    to: list[str],
    on_sent: str = "",
    on_failed: str = "",
    callback_kwargs: dict[str, Any] | None = None,
) -> None:
    """Send one message; then (or after the last failed attempt) call the enqueuer's callback."""
    message = StoredEmail(raw=base64.b64decode(raw), from_email=from_email, to=to)
    try:
        get_connection(fail_silently=False).send_messages([message])
    except OSError as error:  # smtplib.SMTPException is an OSError
        job = context.job
        if on_failed and job is not None and job.attempts + 1 >= (MAIL_RETRY.max_attempts or 1):
            jobs.callback(on_failed)(error=str(error), **(callback_kwargs or {}))
        raise
    if on_sent:
        jobs.callback(on_sent)(**(callback_kwargs or {}))

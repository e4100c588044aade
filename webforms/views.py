"""The Tilda webhook: POST /hooks/tilda/<secret>/, form-encoded, answered "ok" once stored."""

import logging
from collections.abc import Callable
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from common.security_log import security_event
from webforms.models import SubmissionState, TildaSubmission
from webforms.services import (
    submission_process,
    submission_store,
    webhook_api_key_valid,
    webhook_secret_valid,
)
from webforms.tilda import UnreadableBody, blot_encoded_card_numbers, read_body

logger = logging.getLogger(__name__)


def _plain(text: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    # Django logs every 4xx with its path, and the path holds the secret: the refusals that
    # matter go to the security log instead, without it.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class _ThenProcess(HttpResponse):
    """An "ok" after which the submission is applied: the WSGI server closes a response once it
    has sent it, so Tilda's five-second clock has stopped by then."""

    def __init__(self, after: Callable[[], None]) -> None:
        super().__init__("ok", content_type="text/plain; charset=utf-8")
        self._after = after

    def close(self) -> None:
        try:
            self._after()
        finally:
            super().close()


def _not_found() -> HttpResponse:
    # The same answer as for any unknown address: a wrong secret learns nothing.
    return _plain("Not Found", status=404)


# Tilda posts from its servers: no cookies, no CSRF token, and it wants 200 "ok" within five
# seconds, not a redirect. The secret in the address is the credential (several may be valid
# while it is rotated); Tilda's optional API key, when configured, is a second one.
@csrf_exempt
@never_cache
def tilda_webhook(request: HttpRequest, secret: str) -> HttpResponseBase:
    if request.method != "POST":  # not require_POST: it would log the path, secret included
        response = _plain("Method Not Allowed", status=405)
        response["Allow"] = "POST"
        return response
    if not webhook_secret_valid(secret):
        return _not_found()
    limit = settings.TILDA_WEBHOOK_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        security_event("webhook_refused", source="tilda", cause="too_large", size=declared)
        return _plain("Payload Too Large", status=413)
    raw = request.read(limit + 1)
    if len(raw) > limit:
        security_event("webhook_refused", source="tilda", cause="too_large", size=len(raw))
        return _plain("Payload Too Large", status=413)

    key_name = settings.TILDA_WEBHOOK_API_KEY_NAME
    try:
        received = read_body(raw, max_fields=settings.TILDA_WEBHOOK_MAX_FIELDS, drop=key_name)
    except UnreadableBody as error:
        # Kept byte for byte (card numbers blotted) for staff to read; Tilda is told it failed.
        if settings.TILDA_WEBHOOK_API_KEYS and not webhook_api_key_valid(
            request.headers.get(key_name, "")
        ):
            return _not_found()
        submission_store(
            body=blot_encoded_card_numbers(raw),
            body_size=len(raw),
            state=SubmissionState.REJECTED,
            state_reason=error.code,
        )
        security_event("webhook_refused", source="tilda", cause=error.code, size=len(raw))
        return _plain("Bad Request", status=400)

    if settings.TILDA_WEBHOOK_API_KEYS:
        key = request.headers.get(key_name) or _field(raw, key_name)
        if not webhook_api_key_valid(key):
            return _not_found()
    if received.is_test:
        return _plain("ok")

    submission = submission_store(
        body=received.encoded(),
        body_size=len(raw),
        formid=received.formid,
        tranid=received.tranid,
    )
    if submission is None:
        return _plain("ok")  # a retry or replay of what is already held
    if not settings.TILDA_WEBHOOK_APPLY_AFTER_RESPONSE:
        return _plain("ok")  # manage.py process_tilda_submissions --watch applies it
    # A worker that dies before applying it leaves the submission "received", for the admin's
    # "process" action.
    return _ThenProcess(lambda: _process_quietly(submission.pk))


def _field(raw: bytes, name: str) -> str:
    return next((v for k, v in parse_qsl(raw.decode("utf-8")) if k == name), "")


def _process_quietly(pk: int) -> None:
    try:
        submission_process(submission=TildaSubmission(pk=pk))
    except Exception:  # never a 500 for what is already stored
        logger.exception("Processing Tilda submission #%s", pk)

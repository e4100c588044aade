"""Public pages a subject reaches without logging in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from consents.unsubscribe import UnsubscribeLinkError, unsubscribe, unsubscribe_target
from organisation.selectors import operator_profile_for_public_pages
from subjects.models import SubjectState


def _masked(email: str | None) -> str:
    """a•••••@example.com: enough for the subject to recognise, nothing for anyone else."""
    if not email or "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}•••••@{domain}"


# RFC 8058 one-click: mail providers POST "List-Unsubscribe=One-Click" with no cookies and no CSRF
# token, and must get an answer rather than a redirect. The signed token is the credential.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    operator = operator_profile_for_public_pages()
    try:
        target = unsubscribe_target(token=token)
    except UnsubscribeLinkError as error:
        status = 410 if error.reason == "expired" else 404
        context: dict[str, object] = {"reason": error.reason, "operator": operator}
        return render(request, "consents/unsubscribe_invalid.html", context, status=status)

    subject = target.subject
    with translation.override(subject.preferred_language):
        if request.method == "POST":
            unsubscribe(target=target)
            done = True
        else:
            done = not target.live
        context = {
            "done": done,
            "erased": subject.state == SubjectState.ERASED,
            "masked_email": _masked(subject.email),
            "purpose": target.purpose,
            "operator": operator,
        }
        response = render(request, "consents/unsubscribe.html", context)
    # LocaleMiddleware would label the page with the visitor's language; it is the subject's.
    response["Content-Language"] = subject.preferred_language
    return response

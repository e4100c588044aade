"""/healthz for the load balancer and the benchmarks: the process answers and the database too."""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when a trivial query runs; 503 when the database can't be reached. No login, no
    personal data, nothing about the deployment."""
    try:
        connection.ensure_connection()
        reachable = connection.is_usable()  # a trivial query on PostgreSQL
    except DatabaseError:
        reachable = False
    if not reachable:
        return HttpResponse("database unreachable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")

"""`/healthz` for load balancers: is the database reachable, and are all migrations applied?

Answered by a middleware before anything reads the Host header, the session or the user: a
load balancer asks by address, over plain HTTP, without a login. The answer names no data.
"""

import json
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse

PATH = "/healthz"
_migrated = False  # once the code's migrations are all applied, they stay applied


def health() -> dict[str, str]:
    """ "ok" or what is wrong, per check."""
    global _migrated
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        reachable = connection.is_usable()  # a SELECT 1 on the connection
    except DatabaseError:
        reachable = False
    if not reachable:
        connection.close()
        return {"database": "unreachable", "migrations": "unknown"}
    if not _migrated:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _migrated = not plan
        if plan:
            return {"database": "ok", "migrations": f"{len(plan)} not applied"}
    return {"database": "ok", "migrations": "ok"}


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != PATH or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        checks = health()
        healthy = all(value == "ok" for value in checks.values())
        body = json.dumps({"status": "ok" if healthy else "unavailable", **checks})
        return HttpResponse(body, status=200 if healthy else 503, content_type="application/json")

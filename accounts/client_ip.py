"""The address a request came from, seen through the trusted reverse proxies (TRUSTED_PROXY_COUNT).

Lockout is per username and address: behind a proxy REMOTE_ADDR is the proxy, so every attempt
would share one address. Each trusted proxy appends the address it received from to
X-Forwarded-For; the client is the entry that many places from the right. Entries further left
were written by the client itself and are never believed.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR") or None
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote  # not through all our proxies: the nearest peer is the client
    return forwarded[-proxies]

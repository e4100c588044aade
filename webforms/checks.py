"""Deploy check: the webhook's secrets are long enough to be the only credential of the URL."""

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_SECRET_LENGTH = 32


@register(Tags.security, deploy=True)
def check_webhook_secrets(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    short = [s for s in settings.TILDA_WEBHOOK_SECRETS if len(s) < MIN_SECRET_LENGTH]
    if not short:
        return []
    return [
        Error(
            f"{len(short)} of TILDA_WEBHOOK_SECRETS is shorter than {MIN_SECRET_LENGTH} "
            "characters: anyone who guesses it can post forms in the operator's name.",
            hint='python -c "import secrets; print(secrets.token_urlsafe(32))"',
            id="webforms.E001",
        )
    ]

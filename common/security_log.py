"""The security log: one JSON line per event (logger "derbes.security"), for the SIEM or journald.

Events say who did what, when and from where, in fields a machine can filter on. They never carry
passwords, one-time codes, session ids, keys, or the personal data of subjects: pass ids and
counts (subject_id=12, rows=300), never values. Field names that suggest a secret or a personal
value are refused outright, so a careless call fails in the tests rather than leaking in
production.

Any app may call `security_event` (it lives in `common` so the lowest app can): exports, key
rotation and views of decrypted agreement data report here as well as the login machinery in
`accounts`.
"""

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

logger = logging.getLogger("derbes.security")

# Events that mean someone was refused or something went wrong: logged as warnings.
WARNING_EVENTS = frozenset(
    {"login_failure", "lockout", "otp_failure", "permission_denied", "session_expired"}
)

_EVENT_NAME = re.compile(r"[a-z][a-z0-9_]{1,49}")
# Parts of field names that would mean a secret or a personal value is being logged.
_FORBIDDEN_PARTS = (
    "password", "passwd", "secret", "token", "otp", "session", "cookie", "csrf", "passport",
    "iban", "email", "phone", "address", "iin", "birth",
)  # fmt: skip
_FORBIDDEN_NAMES = frozenset({"code", "key", "pin", "value", "values", "credentials"})
_SCALARS = (str, int, float, bool, type(None))


class SecurityLogMisuse(ValueError):
    """A security event was given a field that may carry a secret or personal data."""


def _check_fields(fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        lowered = name.lower()
        if lowered in _FORBIDDEN_NAMES or any(part in lowered for part in _FORBIDDEN_PARTS):
            raise SecurityLogMisuse(f"security events never carry a field named {name!r}")
        items = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(item, _SCALARS) for item in items):
            raise SecurityLogMisuse(f"field {name!r} must be a scalar or a list of scalars")


def security_event(name: str, *, actor: Any = None, **fields: Any) -> None:
    """Log event `name` by `actor` (a user, or None for the system or an anonymous visitor)."""
    if not _EVENT_NAME.fullmatch(name):
        raise SecurityLogMisuse(f"event names are snake_case words, not {name!r}")
    _check_fields(fields)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    payload = {
        "event": name,
        "actor": actor.get_username() if authenticated else None,
        "actor_id": actor.pk if authenticated else None,
        **{
            key: list(value) if isinstance(value, tuple) else value for key, value in fields.items()
        },
    }
    level = logging.WARNING if name in WARNING_EVENTS else logging.INFO
    logger.log(level, name, extra={"security": payload})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, then the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
        }
        data.update(getattr(record, "security", None) or {"message": record.getMessage()})
        return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)

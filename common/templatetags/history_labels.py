"""Filters of the history pages (common.history_display)."""

from typing import Any

from django import template

from common.history_display import history_actor, readable_reason

register = template.Library()


@register.filter
def actor_of(record: Any) -> str:
    return history_actor(record.history_user, record.history_change_reason)


@register.filter
def reason_shown(reason: str | None) -> str:
    return readable_reason(reason)

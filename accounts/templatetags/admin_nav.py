from typing import Any

from django import template
from django.utils.safestring import SafeString

from accounts.admin_nav import nav_sidebar_apps

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_sidebar_app_list(context: dict[str, Any]) -> SafeString:
    """The sidebar's registers (accounts.admin_nav), in place of `admin/app_list.html`."""
    return nav_sidebar_apps(context.get("available_apps") or [], context["request"].path)

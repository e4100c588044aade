from typing import Any

from django import template
from django.utils.safestring import SafeString

from accounts.admin_nav import app_list_markup, nav_sidebar_apps

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_sidebar_app_list(context: dict[str, Any]) -> SafeString:
    """The sidebar's registers (accounts.admin_nav), in place of `admin/app_list.html`."""
    return nav_sidebar_apps(context.get("available_apps") or [], context["request"].path)


@register.simple_tag(takes_context=True)
def index_app_list(context: dict[str, Any]) -> SafeString:
    """The desk's registers with their change links (accounts.admin_nav), in place of
    `admin/app_list.html`."""
    return app_list_markup(
        context.get("app_list") or [], context["request"].path, change_links=True
    )

"""Django's admin app with `admin.site` made an instance of the two-factor site.

Kept apart from accounts/apps.py: a module with two default AppConfigs is ambiguous to Django.
"""

from django.contrib.admin.apps import AdminConfig


class DerbesAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.DerbesAdminSite"

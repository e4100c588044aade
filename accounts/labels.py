"""Permission and role names in the reader's language.

Django stores a permission's name in English when it creates it ("Can add consent"), and the
role groups are named in English in accounts/roles.py: both are data, not messages. The admin
shows them through these functions, which build the label from translated parts instead.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import AUDITOR, PRIVACY_OFFICER, STAFF

ROLE_LABELS = {
    PRIVACY_OFFICER: _("Privacy officer"),
    STAFF: _("Staff"),
    AUDITOR: _("Auditor"),
}

# Django's default permissions: "<action>_<model name>".
ACTION_LABELS = {
    "add": _("Can add: %(model)s"),
    "change": _("Can change: %(model)s"),
    "delete": _("Can delete: %(model)s"),
    "view": _("Can view: %(model)s"),
}


def role_label(group: Group) -> str:
    """A role group's name in the reader's language; another group's name as it was given."""
    return str(ROLE_LABELS.get(group.name, group.name))


def permission_label(permission: Permission) -> str:
    """'App | model | what it allows', every part translated (needs its content_type loaded)."""
    model = permission.content_type.model_class()
    if model is None:  # a model removed since: Django keeps its rows until told otherwise
        return str(permission)
    opts = model._meta
    action, _sep, model_name = permission.codename.partition("_")
    if action in ACTION_LABELS and model_name == opts.model_name:
        name = ACTION_LABELS[action] % {"model": opts.verbose_name}
    else:
        name = gettext(permission.name)  # a permission of the project's own Meta: a msgid
    app_name = apps.get_app_config(opts.app_label).verbose_name
    return f"{app_name} | {opts.verbose_name} | {name}"

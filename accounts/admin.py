"""Staff accounts in the admin: deactivating someone ends their sessions on the spot."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.services import user_deactivate, user_sessions_end
from common.security_log import security_event

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = ("deactivate",)

    def save_model(self, request: HttpRequest, obj: User, form: forms.Form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            ended = user_sessions_end(user=obj)
            security_event(
                "user_deactivated", actor=request.user, user_id=obj.pk, logins_ended=ended
            )

    @admin.action(description=_("Deactivate the selected users and end their sessions"),
                  permissions=("change",))  # fmt: skip
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = [user for user in queryset if user.pk != request.user.pk]
        for user in users:
            user_deactivate(user=user, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", len(users))
            % {"count": len(users)},
        )

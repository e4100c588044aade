"""Staff accounts in the admin: deactivating someone ends their sessions on the spot; someone
who wrote history is never deleted (the audit trail names them)."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access_list import (
    access_list_csv,
    access_list_headers,
    access_list_xlsx,
    access_rows,
)
from accounts.labels import role_label
from accounts.models import RoleGrant
from accounts.security_labels import TOTP_FIELDSETS
from accounts.services import user_deactivate, user_deactivation_complete
from common.admin import ViewOnlyAdminMixin, acting_user
from common.admin_delete import LinkRowsHiddenOnDeleteMixin
from common.history_guard import history_models
from common.security_log import security_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

if TYPE_CHECKING:  # the checker needs the class; the admin asks Django for the user model
    from django.contrib.auth.models import User
else:
    User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(AccessAttempt)
admin.site.unregister(Group)
admin.site.unregister(TOTPDevice)


def history_written_by(users: Iterable[User]) -> list[str]:
    """One line per user and history table they wrote rows in (one query per history table)."""
    lines = []
    for history in history_models():
        written = (
            history.objects.filter(history_user__in=users)  # type: ignore[attr-defined]
            .values("history_user__username")
            .annotate(rows=Count("history_id"))
            .order_by("history_user__username")
        )
        for row in written:
            lines.append(
                ngettext(
                    "%(user)s wrote %(rows)d row of the history of “%(model)s”. The audit trail "
                    "keeps its writers: deactivate the user instead.",
                    "%(user)s wrote %(rows)d rows of the history of “%(model)s”. The audit trail "
                    "keeps its writers: deactivate the user instead.",
                    row["rows"],
                )
                % {
                    "user": row["history_user__username"],
                    "rows": row["rows"],
                    "model": history.instance_type._meta.verbose_name_plural,  # type: ignore[attr-defined]
                }
            )
    return lines


@admin.register(Group)
class RoleGroupAdmin(LinkRowsHiddenOnDeleteMixin, GroupAdmin):
    list_display = ("role",)

    @admin.display(description=_("name"), ordering="name")
    def role(self, obj: Group) -> str:
        return role_label(obj)


@admin.register(User)
class StaffUserAdmin(LinkRowsHiddenOnDeleteMixin, UserAdmin):
    actions = ("deactivate",)

    def get_urls(self) -> list:
        page = self.admin_site.admin_view(self.persons_with_access_view)
        return [
            path("persons-with-access/", page, name="auth_user_persons_with_access"),
            *super().get_urls(),
        ]

    def persons_with_access_view(self, request: HttpRequest) -> HttpResponse:
        """Who may see personal data, in which role and since when; as a page, CSV or XLSX."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = access_rows()
        wanted = request.GET.get("format")
        if wanted in ("csv", "xlsx"):
            security_event("export", actor=acting_user(request), model="auth.user",
                           format=wanted, rows=len(rows), scope="persons_with_access")  # fmt: skip
            name = f"persons-with-access-{timezone.localdate():%Y-%m-%d}.{wanted}"
            if wanted == "csv":
                response = HttpResponse(
                    access_list_csv(rows), content_type="text/csv; charset=utf-8"
                )
            else:
                response = HttpResponse(access_list_xlsx(rows), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Persons with access to personal data"),
            "opts": self.model._meta,
            "headers": access_list_headers(),
            "rows": rows,
        }
        return TemplateResponse(request, "admin/auth/user/persons_with_access.html", context)

    def get_deleted_objects(
        self,
        objs: Sequence[User] | QuerySet[User],
        request: HttpRequest,
    ) -> tuple[list, dict, set, list]:
        # Shown as "protected" objects: the confirmation page and the bulk action both refuse.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *history_written_by(objs)]

    def save_model(self, request: HttpRequest, obj: User, form: forms.Form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_deactivation_complete(user=obj, actor=acting_user(request))

    @admin.action(description=_("Deactivate the selected users and end their sessions"),
                  permissions=("change",))  # fmt: skip
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = [user for user in queryset if user.pk != request.user.pk]
        for user in users:
            user_deactivate(user=user, actor=acting_user(request))
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", len(users))
            % {"count": len(users)},
        )


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """django-axes' page, with its clean-up action asking for the permission it uses: it deletes
    attempts, which lifts lockouts (axes declares none, so a view-only user could run it)."""

    actions = ("cleanup_expired_attempts",)

    @admin.display(description=_("status"))
    def status(self, obj: AccessAttempt) -> str:
        return str(super().status(obj))

    @admin.action(description=_("Clean up expired attempts"), permissions=("delete",))
    def cleanup_expired_attempts(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Axes reads the moment of the "attempt" from the request, which it marks on logins
        # only: without it this admin action failed with an error.
        AxesProxyHandler.update_request(request)
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d expired access attempt cleaned up.",
                "%(count)d expired access attempts cleaned up.",
                count,
            )
            % {"count": count},
        )


@admin.register(TOTPDevice)
class TranslatedTOTPDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's page, its fieldset titles and search help in the reader's language."""

    search_help_text = _("Search by the user's username or e-mail.")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [
            (TOTP_FIELDSETS.get(title, title) if title else title, options)
            for title, options in super().get_fieldsets(request, obj)
        ]


@admin.register(RoleGrant)
class RoleGrantAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """When each role was given and taken away: written as it happens, read here."""

    list_display = ("user", "role", "granted_at", "granted_by", "revoked_at", "revoked_by")
    list_filter = ("group", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("user__username",)
    list_select_related = ("user", "group", "granted_by", "revoked_by")
    readonly_fields = ("user", "group", "granted_at", "granted_by", "revoked_at", "revoked_by")

    @admin.display(description=_("role"), ordering="group__name")
    def role(self, grant: RoleGrant) -> str:
        return role_label(grant.group)

"""When each user was given each role: the record the Protection Rules ask for.

The Rules for protecting personal data (Order No. 179/НҚ, as amended by No. 672/НҚ of
22.12.2025) have the operator keep a list of the persons with access to personal data. Django
records who is in a group, not since when, so each grant and each withdrawal of a role is
written here as it happens (accounts.receivers).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.model_fields import staff_field
from common.personal_data import classify


@classify(
    subject_path=None,
    other=("id", "user", "group", "granted_at", "granted_by", "revoked_at", "revoked_by"),
)
class RoleGrant(models.Model):
    """One period during which a user held a role (a group); open while `revoked_at` is empty."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("user"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="grants", verbose_name=_("role")
    )
    granted_at = models.DateTimeField(_("granted at"))
    granted_by = staff_field(_("granted by"), on_delete=models.SET_NULL)
    revoked_at = models.DateTimeField(_("taken away at"), null=True, blank=True)
    revoked_by = staff_field(_("taken away by"), on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        ordering = ("-granted_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "group"),
                condition=models.Q(revoked_at__isnull=True),
                name="rolegrant_one_open_per_user_and_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.group_id}"

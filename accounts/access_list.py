"""The list of persons with access to personal data (Protection Rules No. 179/НҚ, as amended by
No. 672/НҚ of 22.12.2025): who may see personal data here, in which role, and since when.

Active staff accounts that are superusers or hold a role. "Since" is when the role was granted
(accounts.models.RoleGrant); for a role given before grants were recorded it is the day the
account was created, and the list says so.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from accounts.labels import role_label
from accounts.models import RoleGrant
from common.csv_export import escape_cell, write_csv


@dataclass(frozen=True)
class AccessRow:
    username: str
    full_name: str
    email: str
    role: str
    since: datetime
    since_recorded: bool
    last_login: datetime | None


def access_list_headers() -> list[str]:
    return [
        _("Username"), _("Full name"), _("E-mail"), _("Role"), _("Has access since"),
        _("Since"), _("Last login"),
    ]  # fmt: skip


def persons_with_access() -> QuerySet[User]:
    """Active accounts that may see personal data, with their roles and open grants."""
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__isnull=False))
        .distinct()
        .prefetch_related(
            "groups",
            Prefetch(
                "role_grants",
                queryset=RoleGrant.objects.filter(revoked_at__isnull=True),
                to_attr="open_grants",
            ),
        )
        .order_by("username")
    )


def access_rows() -> list[AccessRow]:
    """One row per person and role (a superuser has a row of its own)."""
    rows = []
    for user in persons_with_access():
        granted = {grant.group_id: grant.granted_at for grant in user.open_grants}  # type: ignore[attr-defined]
        roles: list[tuple[str, datetime | None]] = [
            (role_label(group), granted.get(group.pk)) for group in user.groups.all()
        ]
        if user.is_superuser:
            roles.insert(0, (_("Superuser (every right)"), None))
        for role, since in roles:
            rows.append(
                AccessRow(
                    username=user.username,
                    full_name=user.get_full_name(),
                    email=user.email,
                    role=role,
                    since=since or user.date_joined,
                    since_recorded=since is not None,
                    last_login=user.last_login,
                )
            )
    return rows


def _cells(row: AccessRow) -> list[str]:
    def local(moment: datetime | None) -> str:
        return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else "—"

    source = _("role granted") if row.since_recorded else _("account created (grant not recorded)")
    return [row.username, row.full_name, row.email, row.role, local(row.since), source,
            local(row.last_login)]  # fmt: skip


def access_list_csv(rows: Sequence[AccessRow]) -> str:
    stream = io.StringIO()
    write_csv(stream, access_list_headers(), (_cells(row) for row in rows))
    return stream.getvalue()


def access_list_xlsx(rows: Sequence[AccessRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Persons with access")[:31]
    sheet.append([escape_cell(header) for header in access_list_headers()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([escape_cell(ILLEGAL_CHARACTERS_RE.sub("", cell)) for cell in _cells(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

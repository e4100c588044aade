"""Filters of the request list: by deadline (in working days), kind confirmed, completeness."""

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from requests.selectors import DUE_BUCKETS, due_horizon, requests_due


class DueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("overdue", _("Overdue")),
            ("late", _("Late (past the internal target)")),
            ("today", _("Due today")),
            ("week", _("Due in the next 5 working days")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in DUE_BUCKETS:
            return queryset.filter(
                pk__in=requests_due(bucket=self.value(), horizon=due_horizon()).values("pk")  # type: ignore[arg-type]
            )
        return queryset


class KindConfirmedFilter(admin.SimpleListFilter):
    title = _("kind confirmed")
    parameter_name = "kind_confirmed"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("no", _("Not yet")), ("yes", _("Confirmed"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(kind_confirmed_at__isnull=self.value() == "no")
        return queryset


class CompleteFilter(admin.SimpleListFilter):
    """Incomplete: a part the policy requires is missing (names, a reply address, the content)."""

    title = _("complete")
    parameter_name = "complete"
    MISSING = (
        Q(requester_last_name="") | Q(requester_first_name="") | Q(requester_patronymic="")
        | Q(content="") | (Q(reply_email="") & Q(reply_postal_address=""))
    )  # fmt: skip

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("no", _("Incomplete")), ("yes", _("Complete"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "no":
            return queryset.filter(self.MISSING)
        if self.value() == "yes":
            return queryset.exclude(self.MISSING)
        return queryset

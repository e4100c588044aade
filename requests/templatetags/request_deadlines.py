"""The desk's request boxes: the work queue, the deadlines (overdue, late, today, this week), and
the requests received per month."""

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.index_boxes import BoxRow, index_box, index_box_tag
from common.svg_chart import Series, desk_chart
from common.workdays import work_calendar
from requests.models import SubjectRequest
from requests.selectors import (
    QUEUE_TABS,
    deadline_counts,
    due_horizon,
    requests_per_month,
    work_queue,
    work_queue_counts,
)

register = template.Library()

DEADLINE_QUERIES = {
    **{due: f"due={due}" for due in ("overdue", "late", "today", "week")},
    "awaiting_kind": "kind_confirmed=no",
}


@index_box_tag(register, SubjectRequest, DEADLINE_QUERIES)
def request_deadlines(links: dict[str, str]) -> dict[str, Any]:
    horizon = due_horizon()
    counts = deadline_counts(horizon=horizon)
    week = gettext("Due in the next 5 working days (to %(date)s)") % {
        "date": date_format(horizon.week_end, "DATE_FORMAT")
    }
    return index_box(
        "request-deadlines",
        gettext("Subject requests: deadlines"),
        [
            BoxRow(
                gettext("Overdue"), counts["overdue"], links["overdue"], alert=counts["overdue"] > 0
            ),
            BoxRow(gettext("Late (past the internal target)"), counts["late"], links["late"]),
            BoxRow(gettext("Due today"), counts["today"], links["today"]),
            BoxRow(week, counts["week"], links["week"]),
            BoxRow(
                gettext("Kind not yet confirmed"), counts["awaiting_kind"], links["awaiting_kind"]
            ),
            BoxRow(gettext("Clock paused (waiting for the requester)"), counts["paused"]),
        ],
        shown_empty=True,
    )


QUEUE_TAB_LABELS = {
    "all": _("All open"),
    "mine": _("Assigned to me"),
    "unassigned": _("Unassigned"),
}


@register.inclusion_tag("admin/requests/queue.html", takes_context=True)
def request_queue(context: template.Context) -> dict:
    """The desk's work queue: the open requests themselves, the least time left first."""
    request: HttpRequest = context["request"]
    if not request.user.has_perm("requests.view_subjectrequest"):
        return {"show": False}
    tab = request.GET.get("queue", "all")
    if tab not in QUEUE_TABS:
        tab = "all"
    calendar = work_calendar()
    horizon = due_horizon(calendar=calendar)
    user_id = request.user.pk
    counts = work_queue_counts(user_id=user_id)
    return {
        "show": True,
        "tab": tab,
        "tabs": [
            {"key": key, "label": label, "count": counts[key], "url": f"?queue={key}"}
            for key, label in QUEUE_TAB_LABELS.items()
        ],
        "rows": work_queue(user_id=user_id, tab=tab, horizon=horizon, calendar=calendar),
        "shown_all_url": reverse("admin:requests_subjectrequest_changelist"),
        "total": counts[tab],
    }


@register.simple_tag(takes_context=True)
def request_chart(context: template.Context) -> SafeString | str:
    """The desk's chart of requests received per month over the last twelve months."""
    return desk_chart(
        context["request"], permission="requests.view_subjectrequest", name="request-chart",
        title=gettext("Requests per month"), read=lambda since: requests_per_month(since=since),
        series=lambda counts, months: [
            Series(gettext("received"), "#417690", [counts.get(m, 0) for m in months]),
        ],
    )  # fmt: skip

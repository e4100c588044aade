"""One history of a person: the subject's own history rows and those of every row attached to it
(handles, consents, requests and their steps, disclosures...), newest first.

Which tables hold rows about a subject, and how each reaches it, is the personal-data registry's
`subject_path`: `subjects` names no other app. The rows of a page come from one UNION query
(compiled once; each row with the id of the version before it); then, for each kind of row on
the page, one query for those rows and the versions before them (to tell what changed). The
count of queries depends on the kinds of rows on the page, never on how many rows a person has.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import F, Value, Window
from django.db.models.functions import Lag
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common import personal_data
from common.history_display import history_actor, readable_reason, readable_value
from subjects.models import Subject

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    when: datetime
    what: str  # "Consent #12"
    url: str  # the row's own page, "" when the admin has none
    action: str
    changes: list[Change]
    actor: str
    reason: str


@lru_cache(maxsize=1)
def history_sources() -> list[tuple[Any, str]]:
    """(history model, lookup from its tracked model to the subject) of every tracked model about
    a person. Read once: the registry is complete when the apps are loaded, and asking a model
    for its history manager builds one each time."""
    sources = []
    for classification in personal_data.classified_models():
        history = getattr(classification.model, "history", None)
        if classification.subject_path is None or history is None:
            continue
        sources.append((history.model, classification.subject_path))
    return sorted(sources, key=lambda source: source[0]._meta.label)


def _rows_of(source: int, history_model: Any, path: str, subject_pk: int) -> Any:
    if path == "":
        rows = history_model.objects.filter(id=subject_pk)
    elif path == "subject":  # the history table keeps the column: no join
        rows = history_model.objects.filter(subject_id=subject_pk)
    else:
        tracked = history_model.instance_type._default_manager.filter(**{path: subject_pk})
        rows = history_model.objects.filter(id__in=tracked.values("pk"))
    # The version before each row, to tell what changed: every version of a row about the
    # subject is about the subject, so all of them are among the rows selected here.
    order = [F("history_date").asc(), F("history_id").asc()]
    before = Window(Lag("history_id"), partition_by=F("id"), order_by=order)
    return (
        rows.order_by()
        .annotate(history_source=Value(source), previous_id=before)
        .values_list("history_date", "history_id", "history_source", "previous_id")
    )


# An id no subject has: the SQL is compiled once with it in place of the subject's id.
_MARK = -7_000_000_000_001


@lru_cache(maxsize=4)
def _index_sql(vendor: str) -> tuple[str, tuple[Any, ...]]:
    """The UNION of every source, compiled once: building and compiling thirteen querysets took
    longer than running them."""
    sources = history_sources()
    queries = [_rows_of(n, model, path, _MARK) for n, (model, path) in enumerate(sources)]
    first, *rest = queries
    sql, params = first.union(*rest, all=True).query.sql_with_params()
    return sql, tuple(params)


Row = tuple[datetime, int, int, int | None]


class HistoryIndex:
    """(date, history id, source number, history id of the version before) of every history row
    about the subject, newest first. A page slices it (LIMIT/OFFSET), the paginator counts it:
    one query each."""

    def __init__(self, subject: Subject) -> None:
        sql, params = _index_sql(connection.vendor)
        self.sql = sql
        self.params = [subject.pk if param == _MARK else param for param in params]

    def count(self) -> int:
        with connection.cursor() as cursor:
            # self.sql is Django's compilation of the ORM query above; the values are parameters.
            count = f"SELECT COUNT(*) FROM ({self.sql}) AS history_rows"  # noqa: S608
            cursor.execute(count, self.params)
            return int(cursor.fetchone()[0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[Row]:
        start = page.start or 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM ({self.sql}) AS history_rows ORDER BY 1 DESC, 2 DESC "  # noqa: S608
                "LIMIT %s OFFSET %s",
                [*self.params, (page.stop or 0) - start, start],
            )
            return [(_aware(row[0]), *row[1:]) for row in cursor.fetchall()]


def _aware(when: Any) -> datetime:
    """A time as the ORM would give it: SQLite (the demo) hands a raw query naive UTC, or text."""
    if isinstance(when, str):
        when = parse_datetime(when)
    return timezone.make_aware(when, UTC) if timezone.is_naive(when) else when


def subject_history_index(subject: Subject) -> HistoryIndex:
    return HistoryIndex(subject)


def _changes(record: Any, previous: Any) -> list[Change]:
    if previous is None or record.history_type != "~":
        return []
    model = record.instance_type
    names = [f.name for f in record.tracked_fields if f.editable and not f.many_to_many]
    delta = record.diff_against(previous, included_fields=names)
    changes = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        changes.append(
            Change(
                field=str(capfirst(field.verbose_name)),
                old=readable_value(field, change.old),
                new=readable_value(field, change.new),
            )
        )
    return changes


def _url_of(record: Any) -> str:
    """The version's own page (its values as they were then), else the row's page."""
    name = f"admin:{record.instance_type._meta.app_label}_{record.instance_type._meta.model_name}"
    for suffix, args in (
        ("simple_history", [record.id, record.history_id]),
        ("change", [record.id]),
    ):
        try:
            return reverse(f"{name}_{suffix}", args=args)
        except NoReverseMatch:
            continue
    return ""


def history_entries(index_rows: list[Row]) -> list[Entry]:
    """The readable entries of a page of `subject_history_index`, in its order: one query per
    kind of row on the page (its rows and the versions before them)."""
    sources = history_sources()
    wanted: dict[int, set[int]] = {}
    for _when, history_id, source, previous_id in index_rows:
        wanted.setdefault(source, set()).update(filter(None, (history_id, previous_id)))
    records: dict[tuple[int, int], Any] = {}
    for source, ids in wanted.items():
        found = sources[source][0].objects.filter(history_id__in=ids)
        for record in found.select_related("history_user"):
            records[source, record.history_id] = record
    entries = []
    for when, history_id, source, previous_id in index_rows:
        record = records[source, history_id]
        model = record.instance_type
        entries.append(
            Entry(
                when=when,
                what=f"{capfirst(model._meta.verbose_name)} #{record.id}",
                url=_url_of(record),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                changes=_changes(record, records.get((source, previous_id or 0))),
                actor=history_actor(record.history_user, record.history_change_reason),
                reason=readable_reason(record.history_change_reason),
            )
        )
    return entries

"""One history of a person: the subject's own history rows and those of every row attached to it
(handles, consents, requests and their steps, disclosures...), newest first.

Which tables hold rows about a subject, and how each reaches it, is the personal-data registry's
`subject_path`: `subjects` names no other app. The rows of a page come from one UNION query;
then, for each kind of row on the page, one query for the rows and one for the versions before
them (to tell what changed). The count of queries depends on the kinds of rows, never on how
many rows a person has.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Q, Subquery, Value
from django.urls import NoReverseMatch, reverse
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


def history_sources() -> list[tuple[Any, str]]:
    """(history model, lookup from its tracked model to the subject) of every tracked model about
    a person."""
    sources = []
    for classification in personal_data.classified_models():
        history = getattr(classification.model, "history", None)
        if classification.subject_path is None or history is None:
            continue
        sources.append((history.model, classification.subject_path))
    return sorted(sources, key=lambda source: source[0]._meta.label)


def _rows_of(source: int, history_model: Any, path: str, subject: Subject) -> Any:
    if path == "":
        rows = history_model.objects.filter(id=subject.pk)
    elif path == "subject":  # the history table keeps the column: no join
        rows = history_model.objects.filter(subject_id=subject.pk)
    else:
        tracked = history_model.instance_type._default_manager.filter(**{path: subject})
        rows = history_model.objects.filter(id__in=tracked.values("pk"))
    return (
        rows.order_by()
        .annotate(history_source=Value(source))
        .values_list("history_date", "history_id", "history_source")
    )


def subject_history_index(subject: Subject) -> Any:
    """(date, history id, source number) of every history row about the subject, newest first:
    one query, sliced by the caller (a page) before it runs."""
    sources = history_sources()
    queries = [_rows_of(n, model, path, subject) for n, (model, path) in enumerate(sources)]
    first, *rest = queries
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")


def _previous_id(history_model: Any) -> Subquery:
    earlier = history_model.objects.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
        id=OuterRef("id"),
    ).order_by("-history_date", "-history_id")
    return Subquery(earlier.values("history_id")[:1])


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


def history_entries(index_rows: list[tuple[datetime, int, int]]) -> list[Entry]:
    """The readable entries of a page of `subject_history_index`, in its order."""
    sources = history_sources()
    wanted: dict[int, list[int]] = {}
    for _when, history_id, source in index_rows:
        wanted.setdefault(source, []).append(history_id)
    records: dict[tuple[int, int], Any] = {}
    previous: dict[tuple[int, int], Any] = {}
    for source, ids in wanted.items():
        history_model = sources[source][0]
        found = list(
            history_model.objects.filter(history_id__in=ids)
            .select_related("history_user")
            .annotate(previous_id=_previous_id(history_model))
        )
        before = history_model.objects.in_bulk([r.previous_id for r in found if r.previous_id])
        for record in found:
            records[source, record.history_id] = record
            previous[source, record.history_id] = before.get(record.previous_id)
    entries = []
    for when, history_id, source in index_rows:
        record = records[source, history_id]
        model = record.instance_type
        entries.append(
            Entry(
                when=when,
                what=f"{capfirst(model._meta.verbose_name)} #{record.id}",
                url=_url_of(record),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                changes=_changes(record, previous[source, history_id]),
                actor=history_actor(record.history_user, record.history_change_reason),
                reason=readable_reason(record.history_change_reason),
            )
        )
    return entries

"""Writing tracked models so that their history names the acting user and the reason."""

from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class HistoryDateIndex(models.Index):
    """BRIN on PostgreSQL; a plain index elsewhere (the demo's SQLite has no BRIN)."""

    suffix = "brn"

    def create_sql(self, model: type[models.Model], schema_editor: Any, using: str = "",
                   **kwargs: Any) -> Any:  # fmt: skip
        if schema_editor.connection.vendor == "postgresql":
            using = " USING brin"
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class AuditHistory(HistoricalRecords):
    """simple-history's HistoricalRecords as every tracked model here declares it.

    History is written far more than it is read (the importer writes two history rows per
    person of a list) and it is read by object, through its own index on `id`. So each history
    row costs no more than it must:
    - its writer is named by id, with neither a foreign-key constraint nor an index: the trail
      is append-only (common.history_guard), so a user who wrote history is never deleted and
      the id always resolves (the admin refuses such a deletion in plain words); "what did this
      user write" is a rare question, answered by a scan;
    - history_date gets a BRIN index instead of a B-tree: rows arrive in time order, so a date
      range is found as well, for a fraction of the cost per insert.
    bench/README.md has what this saves.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(user_db_constraint=False, **options)

    def _get_history_user_fields(self) -> dict[str, Any]:
        # simple-history has no option for this index; makemigrations --check notices if the
        # field stops coming from here.
        fields: dict[str, Any] = super()._get_history_user_fields()
        fields["history_user"].db_index = False
        return fields

    def get_meta_options(self, model: type[models.Model]) -> dict[str, Any]:
        options: dict[str, Any] = super().get_meta_options(model)
        options["indexes"] = (HistoryDateIndex(fields=["history_date"]),)  # named by Django
        # simple-history names them "historical <name>" in English, frozen at start-up; these
        # follow the reader's language (and read the same in English, so migrations see no change).
        options["verbose_name"] = format_lazy(_("historical {}"), model._meta.verbose_name)
        options["verbose_name_plural"] = format_lazy(
            _("historical {}"), model._meta.verbose_name_plural
        )
        return options


def save_with_history(
    instance: models.Model,
    *,
    actor: User | None,
    reason: str,
    **save_kwargs: Any,
) -> None:
    """Save `instance`; simple-history records `actor` and `reason` on the history row it writes."""
    instance._history_user = actor  # type: ignore[attr-defined]  # read by simple-history's get_history_user
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save(**save_kwargs)


def save_valid_with_history(
    instance: models.Model, *, actor: User | None, reason: str, **save_kwargs: Any
) -> None:
    """Validate `instance` (full_clean raises before anything is written), then save it with
    history as save_with_history does."""
    instance.full_clean()
    save_with_history(instance, actor=actor, reason=reason, **save_kwargs)


def delete_with_history(instance: models.Model, *, actor: User | None, reason: str) -> None:
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.delete()

"""The import of old mailing lists: one service for the admin and the command line."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from common.history import save_with_history
from consents.models import (
    DocumentKind,
    PolicyVersion,
    Purpose,
    SuppressionReason,
    WithdrawalChannel,
)
from imports.models import ImportChannel, ImportRun, ListKind
from imports.services.columns import ColumnMap, is_mailchimp_header, map_columns
from imports.services.pipeline import Reader
from imports.services.reading import FileUnreadable, file_sha256, open_table
from imports.services.rows import Rejected, RowContext, evidence_parts, make_cleaner
from imports.services.writing import ImportConflict, Job, Outcome
from subjects.models import Subject, SubjectState

_MAILCHIMP_NAME = re.compile(r"(subscribed|unsubscribed|cleaned)_", re.IGNORECASE)
_STATUS_KINDS = {
    "subscribed": ListKind.MAILCHIMP_SUBSCRIBED,
    "unsubscribed": ListKind.MAILCHIMP_UNSUBSCRIBED,
    "cleaned": ListKind.MAILCHIMP_CLEANED,
}


class ImportFailed(Exception):
    """A file could not be imported at all; the transaction was rolled back."""

    def __init__(self, *, file_name: str, message: str) -> None:
        super().__init__(f"{file_name}: {message}")
        self.file_name = file_name
        self.message = message


@dataclass(frozen=True)
class ImportSource:
    name: str  # the file's own name: Mailchimp's tells subscribed from unsubscribed
    stream: BinaryIO  # seekable


@dataclass
class FileReport:
    name: str
    sha256: str
    list_kind: str
    encoding: str
    delimiter: str
    mapped: list[tuple[str, str]]
    ignored: tuple[str, ...]
    rows: int = 0
    rejected: int = 0
    outcome: Outcome = field(default_factory=Outcome)
    rejected_rows: list[Rejected] = field(default_factory=list)

    @property
    def list_label(self) -> str:
        return str(ListKind(self.list_kind).label)

    def counts(self) -> dict[str, int]:
        o = self.outcome
        return {
            "rows": self.rows,
            "created": o.created,
            "updated": o.updated,
            "unchanged": o.unchanged,
            "suppressed": o.suppressed,
            "withdrawn": o.withdrawn,
            "duplicates": o.duplicates,
            "rejected": self.rejected,
            "suppression_entries_added": o.suppression_entries,
        }


@dataclass
class ImportReport:
    files: list[FileReport]
    dry_run: bool

    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for report in self.files:
            for key, value in report.counts().items():
                totals[key] = totals.get(key, 0) + value
        return totals

    @property
    def changed(self) -> bool:
        return any(report.outcome.changed for report in self.files)

    @property
    def importable(self) -> bool:
        """Whether any row passed validation (the command's exit status says so)."""
        return any(report.rows > report.rejected for report in self.files)


def _list_kind(name: str, header: list[str], columns: ColumnMap, list_format: str) -> str:
    """What the list is. Mailchimp's status comes from its file name (subscribed_..., ...)."""
    named = _MAILCHIMP_NAME.match(name.rsplit("/", 1)[-1])
    by_name = _STATUS_KINDS[named.group(1).lower()] if named else None
    left_by_columns = (
        ListKind.MAILCHIMP_UNSUBSCRIBED if "unsub_time" in columns.index
        else ListKind.MAILCHIMP_CLEANED if "clean_time" in columns.index
        else None
    )  # fmt: skip
    if by_name == ListKind.MAILCHIMP_SUBSCRIBED and left_by_columns:
        raise FileUnreadable(
            _(
                "The file is named as a list of subscribed members but has the columns of people "
                "who left (UNSUB_TIME / CLEAN_TIME): check that it is the right file."
            )
        )
    # People who left never give consents, whatever the format asked for.
    if by_name in {ListKind.MAILCHIMP_UNSUBSCRIBED, ListKind.MAILCHIMP_CLEANED}:
        return by_name
    if left_by_columns:
        return left_by_columns
    if list_format == "generic":
        return ListKind.GENERIC
    if list_format == "mailchimp" or is_mailchimp_header(header):
        if by_name is None:
            raise FileUnreadable(
                _(
                    "This Mailchimp export does not say whether its members are subscribed, "
                    "unsubscribed or cleaned: keep Mailchimp's file name (subscribed_…, "
                    "unsubscribed_…, cleaned_…)."
                )
            )
        return by_name
    return ListKind.GENERIC


def _job(
    *,
    source: ImportSource,
    sha256: str,
    kind: str,
    purpose: Purpose,
    actor: User | None,
    now: datetime,
) -> Job:
    cleaned = kind == ListKind.MAILCHIMP_CLEANED
    return Job(
        purpose=purpose,
        subscribing=kind in {ListKind.GENERIC, ListKind.MAILCHIMP_SUBSCRIBED},
        actor=actor,
        now=now,
        reason=_("Import of the mailing list “%(file)s” (SHA-256 %(sha256)s)")
        % {"file": source.name, "sha256": sha256},
        file_name=source.name,
        sha256=sha256,
        list_kind=str(kind),
        source_detail=_("Old list “%(file)s”") % {"file": source.name},
        withdrawal_channel="" if cleaned else WithdrawalChannel.UNSUBSCRIBE_LINK,
        suppression_reason=SuppressionReason.BOUNCED if cleaned else SuppressionReason.UNSUBSCRIBED,
        evidence=evidence_parts(file_name=source.name, sha256=sha256),
    )


def _import_file(
    source: ImportSource,
    *,
    purpose: Purpose,
    actor: User | None,
    list_format: str,
    encoding: str,
    max_rows: int | None,
    on_reject: Callable[[FileReport, list[str], Rejected], None] | None,
    progress: Callable[[str, int], None] | None,
    channel: str,
    dry_run: bool,
) -> FileReport:
    now = timezone.now()
    sha256 = file_sha256(source.stream)
    table = open_table(source.stream, encoding=encoding)
    columns = map_columns(table.header)
    kind = _list_kind(source.name, table.header, columns, list_format)
    report = FileReport(
        name=source.name,
        sha256=sha256,
        list_kind=str(kind),
        encoding=table.encoding,
        delimiter=table.delimiter,
        mapped=columns.mapped(),
        ignored=columns.ignored,
    )
    job = _job(source=source, sha256=sha256, kind=kind, purpose=purpose, actor=actor, now=now)
    blocked = Subject.objects.filter(state=SubjectState.BLOCKED, email__isnull=False)
    clean = make_cleaner(
        RowContext(
            columns=columns,
            mailchimp=kind != ListKind.GENERIC,
            subscribing=job.subscribing,
            blocked_emails=frozenset(blocked.values_list(Lower("email"), flat=True)),
            policy_versions=dict(
                PolicyVersion.objects.filter(kind=DocumentKind.PRIVACY_POLICY).values_list(
                    "version_label", "id"
                )
            ),
            now=now,
        )
    )
    if connection.vendor == "postgresql":
        from imports.services import postgres as writing_module
    else:
        from imports.services import orm as writing_module  # type: ignore[no-redef]
    reader = Reader(
        table=table,
        clean=clean,
        prepare=writing_module.preparer(job),
        report=report,
        max_rows=max_rows,
        on_reject=on_reject,
        progress=progress,
    )
    with writing_module.Writer(job) as writer, reader:
        for chunk in reader.chunks():
            writer.add_chunk(chunk)
        report.outcome = writer.finish()
    if report.outcome.changed and not dry_run:
        counts = report.counts()
        run = ImportRun(
            file_name=source.name[:255],
            sha256=sha256,
            purpose=purpose,
            list_kind=kind,
            encoding=table.encoding,
            channel=channel,
            imported_by=actor,
            imported_at=now,
            **{name: counts[name] for name in (
                "rows", "created", "updated", "unchanged", "suppressed", "withdrawn",
                "duplicates", "rejected",
            )},
        )  # fmt: skip
        run.full_clean()
        save_with_history(run, actor=actor, reason=job.reason)
    return report


@transaction.atomic
def mailing_list_import(
    *,
    sources: Sequence[ImportSource],
    purpose: Purpose,
    actor: User | None,
    list_format: str = "auto",
    encoding: str = "auto",
    dry_run: bool = False,
    max_rows: int | None = None,
    on_reject: Callable[[FileReport, list[str], Rejected], None] | None = None,
    progress: Callable[[str, int], None] | None = None,
    channel: str = ImportChannel.COMMAND,
) -> ImportReport:
    """Import old mailing lists for `purpose`, all files in one transaction.

    Each valid person becomes (or stays) a subject with a live consent carrying the evidence of
    the old list; duplicates merge on the e-mail address; existing subjects only gain what they
    lack; people on the suppression list, or who withdrew this purpose, are skipped and counted,
    never re-subscribed. Lists of people who left (Mailchimp's unsubscribed_/cleaned_) add them
    to the suppression list and withdraw their consents for the purpose. Every rejected row is
    reported with its line and reason. A file that cannot be read stops everything
    (`ImportFailed`) and nothing is written; `dry_run` does all the work and rolls it back.
    """
    reports = []
    for source in sources:
        try:
            reports.append(
                _import_file(
                    source,
                    purpose=purpose,
                    actor=actor,
                    list_format=list_format,
                    encoding=encoding,
                    max_rows=max_rows,
                    on_reject=on_reject,
                    progress=progress,
                    channel=channel,
                    dry_run=dry_run,
                )
            )
        except (FileUnreadable, ImportConflict) as error:
            raise ImportFailed(file_name=source.name, message=str(error)) from error
    if dry_run:
        transaction.set_rollback(True)
    return ImportReport(files=reports, dry_run=dry_run)

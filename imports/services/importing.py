"""The import of old mailing lists: one service for the admin and the command line."""

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, BinaryIO

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import DomainError
from common.history import save_valid_with_history
from common.mentions import PHONE_DIGITS, digits_of
from consents.models import (
    DocumentKind,
    PolicyVersion,
    Purpose,
    SuppressionEntry,
    SuppressionKind,
    SuppressionReason,
)
from consents.suppression import suppression_digest
from imports.models import ImportChannel, ImportRun, ImportState, ListKind, RejectedRow
from imports.services.columns import (
    ColumnMap,
    is_mailchimp_header,
    map_columns,
    normalise_header,
)
from imports.services.pipeline import Reader
from imports.services.reading import FileUnreadable, Table, file_sha256, open_table
from imports.services.rows import (
    Rejected,
    RowContext,
    evidence_parts,
    make_cleaner,
    without_card_numbers,
)
from imports.services.statuses import (
    REFUSAL_SUPPRESSION_REASON,
    REFUSAL_WITHDRAWAL_CHANNEL,
    Verdict,
    may_consent,
    may_refuse,
)
from imports.services.values import Invalid, clean_email
from imports.services.writing import ImportConflict, Job, Outcome
from subjects.models import Subject, SubjectState

# Mailchimp names its exports subscribed_..., unsubscribed_..., cleaned_... (a prefix such as
# "mailchimp_" before it is kept).
_MAILCHIMP_NAME = re.compile(r"(?:^|[_\-\s])(subscribed|unsubscribed|cleaned)_", re.IGNORECASE)
_STATUS_KINDS = {
    "subscribed": ListKind.MAILCHIMP_SUBSCRIBED,
    "unsubscribed": ListKind.MAILCHIMP_UNSUBSCRIBED,
    "cleaned": ListKind.MAILCHIMP_CLEANED,
}
MAILCHIMP_KINDS = frozenset(_STATUS_KINDS.values())
# Headers only one tool writes (as normalise_header leaves them).
TOOL_MARKERS = (
    (ListKind.UNISENDER, frozenset({
        "email status", "email availability", "email add time", "email list ids",
        "email confirm time", "phone status",
    })),
    (ListKind.BREVO, frozenset({
        "email blacklisted", "sms blacklisted", "added time", "modified time", "double opt in",
        "email blocklisted",
    })),
    (ListKind.TILDA, frozenset({"tranid", "formid", "formname"})),
)  # fmt: skip
GOOGLE_FORMS_FIRST = frozenset({"timestamp", "отметка времени", "уақыт белгісі"})


class ImportFailed(DomainError):
    """A file could not be imported at all; the transaction was rolled back."""

    default_code = "import_failed"

    def __init__(self, *, file_name: str, message: Any, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.file_name = file_name


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
    labels: list[tuple[str, str]] = field(default_factory=list)  # header -> its meaning
    rows: int = 0
    rejected: int = 0
    truncated: bool = False  # a preview that read only the first rows (`preview_rows`)
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


def _tool(name: str, header: list[str]) -> str | None:
    """Which mailing tool wrote the list, told by the headers only it writes."""
    names = {normalise_header(cell) for cell in header}
    for kind, markers in TOOL_MARKERS:
        if names & markers:
            return kind
    first = normalise_header(header[0]) if header else ""
    if first in GOOGLE_FORMS_FIRST:
        return ListKind.GOOGLE_FORMS
    if "sendpulse" in name.casefold():
        return ListKind.SENDPULSE
    return None


def _list_kind(
    name: str, header: list[str], columns: ColumnMap, list_format: str
) -> tuple[str, str | None]:
    """What the list is, and Mailchimp's status from its file name (subscribed_..., ...).

    The status columns of the rows decide each row (imports.services.statuses); the file name
    is one of them for Mailchimp, whose exports carry no status column.
    """
    named = _MAILCHIMP_NAME.search(name.rsplit("/", 1)[-1])
    file_status = named.group(1).lower() if named else None
    if file_status is not None:
        return _STATUS_KINDS[file_status], file_status
    # Without the file name, the columns of people who left tell the list's kind, whatever
    # the format asked for: such a list never gives consents.
    if "unsub_time" in columns.index:
        return ListKind.MAILCHIMP_UNSUBSCRIBED, "unsubscribed"
    if "clean_time" in columns.index:
        return ListKind.MAILCHIMP_CLEANED, "cleaned"
    if list_format == "mailchimp" or (list_format == "auto" and is_mailchimp_header(header)):
        raise FileUnreadable(
            _(
                "This Mailchimp export does not say whether its members are subscribed, "
                "unsubscribed or cleaned: keep Mailchimp's file name (subscribed_…, "
                "unsubscribed_…, cleaned_…)."
            )
        )
    if list_format == "generic":
        return ListKind.GENERIC, None
    return _tool(name, header) or ListKind.GENERIC, None


def _job(
    *,
    source: ImportSource,
    sha256: str,
    kind: str,
    purpose: Purpose,
    actor: User | None,
    now: datetime,
    subscribing: bool,
) -> Job:
    return Job(
        purpose=purpose,
        subscribing=subscribing,
        actor=actor,
        now=now,
        reason=_("Import of the mailing list “%(file)s” (SHA-256 %(sha256)s)")
        % {"file": source.name, "sha256": sha256},
        file_name=source.name,
        sha256=sha256,
        list_kind=str(kind),
        source_detail=_("Old list “%(file)s”") % {"file": source.name},
        withdrawal_channel=REFUSAL_WITHDRAWAL_CHANNEL,
        suppression_reason=REFUSAL_SUPPRESSION_REASON,
        evidence=evidence_parts(file_name=source.name, sha256=sha256),
    )


def _open(source: ImportSource, encoding: str) -> Table:
    """The file's table; a card number in a header cell is blotted out as in any cell."""
    table = open_table(source.stream, encoding=encoding)
    table.header = [without_card_numbers(cell) for cell in table.header]
    return table


def _add_outcome(total: Outcome, part: Outcome) -> None:
    for name in (
        "created", "updated", "unchanged", "suppressed", "withdrawn", "duplicates",
        "suppression_entries",
    ):  # fmt: skip
        setattr(total, name, getattr(total, name) + getattr(part, name))


def _import_file(
    source: ImportSource,
    *,
    purpose: Purpose,
    actor: User | None,
    list_format: str,
    encoding: str,
    language: str,
    max_rows: int | None,
    preview_rows: int | None,
    on_reject: Callable[[FileReport, list[str], Rejected], None] | None,
    progress: Callable[[str, int], None] | None,
    on_chunk: Callable[[FileReport, int], None] | None,
    channel: str,
    dry_run: bool,
    run: ImportRun | None,
) -> FileReport:
    now = timezone.now()
    # A card number in the file's name never reaches the report, the history or the evidence.
    source = ImportSource(without_card_numbers(source.name), source.stream)
    sha256 = file_sha256(source.stream)
    table = _open(source, encoding)
    columns = map_columns(table.header)
    kind, file_status = _list_kind(source.name, table.header, columns, list_format)
    report = FileReport(
        name=source.name,
        sha256=sha256,
        list_kind=str(kind),
        encoding=table.encoding,
        delimiter=table.delimiter,
        mapped=columns.mapped(),
        ignored=columns.ignored,
        labels=columns.mapped_labels(),
    )
    # Refusals first: a person who refused in one row is never given a consent by another,
    # since the consent pass then finds them on the suppression list.
    passes = []
    if may_refuse(columns.index, file_status=file_status):
        passes.append(Verdict.REFUSAL)
    if may_consent(columns.index, file_status=file_status) or not passes:
        passes.append(Verdict.CONSENT)
    blocked = Subject.objects.filter(state=SubjectState.BLOCKED, email__isnull=False)
    blocked_emails = frozenset(blocked.values_list(Lower("email"), flat=True))
    policy_versions = dict(
        PolicyVersion.objects.filter(
            kind=DocumentKind.PRIVACY_POLICY, published_at__isnull=False
        ).values_list("version_label", "id")
    )
    if connection.vendor == "postgresql":
        from imports.services import postgres as writing_module
    else:
        from imports.services import orm as writing_module  # type: ignore[no-redef]
    kept: list[Rejected] = []  # the rejected rows the import record keeps
    for number, wanted in enumerate(passes):
        last = number == len(passes) - 1
        if number:
            table = _open(source, encoding)
        job = _job(
            source=source,
            sha256=sha256,
            kind=kind,
            purpose=purpose,
            actor=actor,
            now=now,
            subscribing=wanted == Verdict.CONSENT,
        )
        clean = make_cleaner(
            RowContext(
                columns=columns,
                mailchimp=kind in MAILCHIMP_KINDS,
                file_status=file_status,
                wanted=wanted,
                blocked_emails=blocked_emails,
                policy_versions=policy_versions,
                now=now,
                language=language,
            )
        )
        # Every row is counted, and every rejected row reported, once: by the last pass.
        counted = report if last else replace(report, rejected_rows=[])
        reader = Reader(
            table=table,
            clean=clean,
            prepare=writing_module.preparer(job),
            report=counted,
            max_rows=max_rows,
            stop_after=preview_rows if dry_run else None,
            on_reject=_keeping(kept, on_reject) if last else None,
            progress=progress if last else None,
        )
        written = 0
        with writing_module.Writer(job) as writer, reader:
            for chunk in reader.chunks():
                writer.add_chunk(chunk)
                written += len(chunk)
                if on_chunk is not None and last:
                    on_chunk(counted, written)
            _add_outcome(report.outcome, writer.finish())
    if (report.outcome.changed or run is not None) and not dry_run:
        counts = report.counts()
        values = {name: counts[name] for name in (
            "rows", "created", "updated", "unchanged", "suppressed", "withdrawn",
            "duplicates", "rejected",
        )}  # fmt: skip
        if run is None:  # the command's import: its record is written once it is done
            run = ImportRun(channel=channel, imported_by=actor, imported_at=now)
        run.file_name, run.sha256, run.purpose, run.list_kind = (
            source.name[:255],
            sha256,
            purpose,
            kind,
        )
        run.encoding, run.delimiter, run.header = table.encoding, table.delimiter, table.header
        for name, value in values.items():
            setattr(run, name, value)
        run.state, run.written = ImportState.DONE, written
        save_valid_with_history(run, actor=actor, reason=job.reason)
        _keep_rejected(run, kept, email_column=columns.index.get("email"))
    return report


KEEP_REJECTED_ROWS = 100_000  # rows kept on the import record; the report counts them all
ERASED_ROW = gettext_lazy("This row names a person who was erased: it is not kept.")


def _keeping(
    kept: list[Rejected], on_reject: Callable[[FileReport, list[str], Rejected], None] | None
) -> Callable[[FileReport, list[str], Rejected], None]:
    def keep(report: FileReport, header: list[str], rejected: Rejected) -> None:
        if len(kept) < KEEP_REJECTED_ROWS:
            kept.append(rejected)
        if on_reject is not None:
            on_reject(report, header, rejected)

    return keep


def _keep_rejected(run: ImportRun, kept: list[Rejected], *, email_column: int | None) -> None:
    """The rejected rows on the import record, each linked to the subject its address names
    (when the registers know it): erasing that person then blanks the row."""
    emails: dict[int, str] = {}
    for number, rejected in enumerate(kept):
        if email_column is not None and email_column < len(rejected.cells):
            with contextlib.suppress(Invalid):
                emails[number] = clean_email(rejected.cells[email_column])
    subjects: dict[str, int] = {}
    addresses = sorted(set(emails.values()))
    for start in range(0, len(addresses), 500):
        found = Subject.objects.annotate(key=Lower("email")).filter(
            key__in=addresses[start : start + 500]
        )
        subjects.update(found.values_list("key", "pk"))
    erased = _naming_the_erased(kept)
    RejectedRow.objects.bulk_create(
        (
            RejectedRow(
                run=run,
                line=rejected.line,
                reason=rejected.reason,
                cells=list(rejected.cells),
                subject_id=subjects.get(emails.get(number, "")),
            )
            if number not in erased
            else RejectedRow(run=run, line=rejected.line, reason=str(ERASED_ROW))
            for number, rejected in enumerate(kept)
        ),
        batch_size=2_000,
    )


def _naming_the_erased(kept: list[Rejected]) -> set[int]:
    """The rejected rows (by number) with a cell that is the e-mail or phone of an erased
    person (on the suppression list as erased): kept without their cells, since nothing may be
    written of that person any more. Any cell, as a broken row's columns may be shifted."""
    digests: dict[int, set[str]] = {}
    for number, rejected in enumerate(kept):
        for cell in rejected.cells:
            if "@" in cell:
                kind = SuppressionKind.EMAIL
            elif len(digits_of(cell.encode())) >= PHONE_DIGITS:
                kind = SuppressionKind.PHONE
            else:
                continue
            if digest := suppression_digest(kind=kind, value=cell):
                digests.setdefault(number, set()).add(digest)
    wanted = sorted(set().union(*digests.values()))
    erased: set[str] = set()
    for start in range(0, len(wanted), 1_000):
        erased.update(
            SuppressionEntry.objects.filter(
                reason=SuppressionReason.ERASED, digest__in=wanted[start : start + 1_000]
            ).values_list("digest", flat=True)
        )
    return {number for number, found in digests.items() if found & erased}


@transaction.atomic
def mailing_list_import(
    *,
    sources: Sequence[ImportSource],
    purpose: Purpose,
    actor: User | None,
    list_format: str = "auto",
    encoding: str = "auto",
    language: str = "auto",
    dry_run: bool = False,
    max_rows: int | None = None,
    preview_rows: int | None = None,
    on_reject: Callable[[FileReport, list[str], Rejected], None] | None = None,
    progress: Callable[[str, int], None] | None = None,
    on_chunk: Callable[[FileReport, int], None] | None = None,
    channel: str = ImportChannel.COMMAND,
    run: ImportRun | None = None,
) -> ImportReport:
    """Import old mailing lists for `purpose`, all files in one transaction.

    Each valid person becomes (or stays) a subject with a live consent carrying the evidence of
    the old list; duplicates merge on the e-mail address; existing subjects only gain what they
    lack; people on the suppression list, or who withdrew this purpose, are skipped and counted,
    never re-subscribed. Every status column of the list decides its row (imports.services.
    statuses): only a yes gives a consent; a refusal (unsubscribed, complained, blacklisted,
    Mailchimp's unsubscribed_ file) adds the person to the suppression list and withdraws their
    consent for the purpose; any other no, or a value nobody knows, rejects the row with its
    reason. `language` is the imported people's language ("auto": a language column, else the
    script of their names). Every rejected row is
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
                    language=language,
                    max_rows=max_rows,
                    preview_rows=preview_rows,
                    on_reject=on_reject,
                    progress=progress,
                    on_chunk=on_chunk,
                    channel=channel,
                    dry_run=dry_run,
                    run=run,
                )
            )
        except (FileUnreadable, ImportConflict) as error:
            raise ImportFailed(
                file_name=without_card_numbers(source.name), message=error.text, code=error.code
            ) from error
    if dry_run:
        transaction.set_rollback(True)
    return ImportReport(files=reports, dry_run=dry_run)

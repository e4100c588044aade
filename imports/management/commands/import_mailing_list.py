import json
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.errors import DomainError
from consents.models import Purpose
from imports.models import ImportChannel
from imports.rejects import RejectsCsv
from imports.services import ImportReport, ImportSource, mailing_list_import
from imports.services.reading import ENCODINGS

EXIT_NOTHING_IMPORTED = 1
EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = (
        "Import old mailing lists (CSV or XLSX; exports of Mailchimp, UniSender, Brevo, "
        "SendPulse, Google Forms and Tilda, Excel lists in UTF-8, Windows-1251 or KZ-1048) as "
        "subjects with a consent for one purpose, in one transaction; every status column "
        "decides its row (refusals go to the suppression list, other noes are rejected). "
        "Exit status: 0 imported (or nothing to change), 1 no row could be imported, 2 a file "
        "could not be read or an argument is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--purpose", required=True, help="Purpose code, e.g. newsletter.")
        parser.add_argument(
            "--format", dest="list_format", choices=("auto", "generic", "mailchimp"), default="auto"
        )
        parser.add_argument("--encoding", choices=("auto", *ENCODINGS), default="auto")
        parser.add_argument(
            "--language",
            choices=("auto", "kk", "ru", "en"),
            default="auto",
            help="Preferred language of the people: auto (a language column, else the letters "
            "of their names) or kk / ru / en.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, then roll it all back."
        )
        parser.add_argument(
            "--rejects", type=Path, metavar="OUT.csv", help="Write the rejected rows here."
        )
        parser.add_argument("--actor", metavar="USERNAME", help="The user the history names.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = self._import(**options)
        except (CommandError, DomainError) as error:  # a refusal exits with its message
            message = str(error)
            if options["json"]:
                self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
            raise CommandError(message, returncode=EXIT_UNREADABLE) from error
        totals = report.totals()
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(report), ensure_ascii=False))
        else:
            self._summary(report)
        if not report.importable:
            raise CommandError(
                f"No row could be imported ({totals['rejected']} rejected of {totals['rows']}).",
                returncode=EXIT_NOTHING_IMPORTED,
            )

    def _import(
        self,
        *,
        files: list[Path],
        purpose: str,
        list_format: str,
        encoding: str,
        language: str,
        dry_run: bool,
        rejects: Path | None,
        actor: str | None,
        verbosity: int,
        **options: Any,
    ) -> ImportReport:
        found = Purpose.objects.filter(code=purpose).first()
        if found is None:
            codes = ", ".join(Purpose.objects.values_list("code", flat=True))
            raise CommandError(f"No purpose with code {purpose!r}. Known codes: {codes}.")
        user = None
        if actor is not None:
            user = get_user_model().objects.filter(username=actor).first()
            if user is None:
                raise CommandError(f"No user {actor!r}.")
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
        with ExitStack() as stack:
            sources = [
                ImportSource(path.name, stack.enter_context(path.open("rb"))) for path in files
            ]
            on_reject = None
            if rejects is not None:
                # Written beside the target and renamed, so a failure leaves no half file.
                partial = rejects.with_name(rejects.name + ".partial")
                # In the encoding and with the delimiter of the file it came from.
                stream = stack.enter_context(partial.open("wb"))
                on_reject = RejectsCsv(stream, with_file_column=len(files) > 1)
            try:
                report = mailing_list_import(
                    sources=sources,
                    purpose=found,
                    actor=user,
                    list_format=list_format,
                    encoding=encoding,
                    language=language,
                    dry_run=dry_run,
                    on_reject=on_reject,
                    progress=self._progress if verbosity >= 1 else None,
                    channel=ImportChannel.COMMAND,
                )
            except BaseException:
                if rejects is not None:
                    stream.close()
                    partial.unlink(missing_ok=True)
                raise
        if rejects is not None:
            partial.replace(rejects)
        return report

    def _progress(self, name: str, rows: int) -> None:
        self.stderr.write(f"{name}: {rows:,} rows read")

    def _summary(self, report: ImportReport) -> None:
        for file in report.files:
            counts = file.counts()
            self.stdout.write(
                f"{file.name} ({file.list_kind}, {file.encoding or 'xlsx'}): "
                + ", ".join(f"{key} {value}" for key, value in counts.items())
            )
            for rejected in file.rejected_rows[:20]:
                self.stdout.write(f"  line {rejected.line}: {rejected.reason}")
            if file.rejected > 20:
                self.stdout.write(f"  … {file.rejected - 20} more (see --rejects)")
            if file.ignored:
                self.stdout.write(f"  columns not imported: {', '.join(file.ignored)}")
        if report.dry_run:
            self.stdout.write("Dry run: nothing was written.")


def _as_json(report: ImportReport) -> dict[str, Any]:
    return {
        **report.totals(),
        "dry_run": report.dry_run,
        "files": [
            {
                "file": file.name,
                "sha256": file.sha256,
                "list": file.list_kind,
                "encoding": file.encoding,
                "delimiter": file.delimiter,
                "columns": dict(file.mapped),
                "column_meanings": dict(file.labels),
                "ignored_columns": list(file.ignored),
                **file.counts(),
                "rejected_rows": [{"line": r.line, "reason": r.reason} for r in file.rejected_rows],
            }
            for file in report.files
        ],
    }

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from requests.mail.imap import ImapError
from requests.services.intake import IngestResult
from requests.services.mailbox import IngestCounts, files_ingest, imap_ingest, imap_settings


class Command(BaseCommand):
    help = (
        "Make subject requests of e-mails: the privacy mailbox over IMAP (--imap, configured by "
        "the IMAP_* settings) and/or .eml and mbox files. Each message becomes one request however "
        "often it is read; unreadable messages are kept for staff. Safe to run from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help=".eml or mbox files, or folders")
        parser.add_argument("--imap", action="store_true", help="read the IMAP mailbox")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(
        self, *args: object, paths: list[Path], imap: bool, json: bool, **options: Any
    ) -> None:
        if not paths and not imap:
            raise CommandError("Give .eml/mbox paths, or --imap, or both.")
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        verbose = options["verbosity"] > 1 and not json

        def progress(source: str, result: IngestResult) -> None:
            if verbose:
                self.stdout.write(f"{source}: {result.outcome}")

        counts = IngestCounts()
        if paths:
            counts = _sum(counts, files_ingest(paths, progress=progress))
        if imap:
            if not settings.IMAP_HOST:
                raise CommandError(
                    "IMAP_HOST is not set: configure the mailbox (see .env.example)."
                )
            try:
                counts = _sum(counts, imap_ingest(imap_settings(), progress=progress))
            except ImapError as error:
                raise CommandError(f"IMAP: {error}") from error
        if json:
            self.stdout.write(_json(counts.as_dict()))
        else:
            self.stdout.write(
                "created {created}, duplicates {duplicates}, follow-ups {follow_ups}, "
                "failed {failed}".format(**counts.as_dict())
            )
        if counts.failed:
            self.stderr.write(
                f"{counts.failed} message(s) could not be read: they are kept under "
                "Subject requests › Unreadable messages."
            )


def _sum(a: IngestCounts, b: IngestCounts) -> IngestCounts:
    return IngestCounts(**{key: value + b.as_dict()[key] for key, value in a.as_dict().items()})


def _json(data: dict) -> str:
    return json.dumps(data, sort_keys=True)

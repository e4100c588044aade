import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.csv_export import write_csv
from consents.exports import MAILING_LIST_HEADER, mailing_list_rows
from consents.models import Purpose


class Command(BaseCommand):
    help = (
        "Write the mailing list of a purpose as CSV (UTF-8 with BOM): subjects with a live "
        "consent, not blocked, not erased, not suppressed, each with an unsubscribe link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--purpose", required=True, help="Purpose code, e.g. newsletter.")
        parser.add_argument("--output", type=Path, help="File to write; standard output if none.")

    def handle(self, *args: Any, purpose: str, output: Path | None, **options: Any) -> None:
        found = Purpose.objects.filter(code=purpose).first()
        if found is None:
            codes = ", ".join(Purpose.objects.values_list("code", flat=True))
            raise CommandError(f"No purpose with code {purpose!r}. Known codes: {codes}.")
        rows = mailing_list_rows(purpose=found)
        if output is None:
            count = write_csv(sys.stdout, MAILING_LIST_HEADER, rows)  # type: ignore[arg-type]
        else:
            # Written beside the target and renamed, so a failure never leaves half a list.
            partial = output.with_name(output.name + ".partial")
            with partial.open("w", encoding="utf-8", newline="") as stream:
                count = write_csv(stream, MAILING_LIST_HEADER, rows)  # type: ignore[arg-type]
            partial.replace(output)
        self.stderr.write(f"{count} subjects may be e-mailed for {found.code}.")

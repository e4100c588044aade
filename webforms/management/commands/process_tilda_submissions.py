"""Apply the Tilda submissions that are stored but not yet applied."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from webforms.selectors import submissions_received
from webforms.services import submissions_process


class Command(BaseCommand):
    help = (
        "Apply stored Tilda submissions that are still 'received': those of a worker that died "
        "before applying them, or all of them when TILDA_WEBHOOK_APPLY_AFTER_RESPONSE is off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="At most this many per pass.")
        parser.add_argument(
            "--watch", type=float, default=0, help="Keep going, pausing this many seconds."
        )

    def handle(self, *args: Any, limit: int, watch: float, **options: Any) -> None:
        while True:
            counts = submissions_process(submissions=submissions_received(limit=limit), actor=None)
            if counts or not watch:
                summary = ", ".join(f"{state}: {n}" for state, n in sorted(counts.items()))
                self.stdout.write(summary or "Nothing to apply.")
            if not watch:
                return
            if not counts:
                time.sleep(watch)

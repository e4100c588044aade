import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.dataset import DatasetRefused, dataset_build


class Command(BaseCommand):
    help = (
        "Fill an empty register on PostgreSQL with a made-up data set of N subjects (Kazakh and "
        "Russian names, consents, history, requests, suppression entries) for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subjects", type=int, default=1_000_000)

    def handle(self, *args: Any, subjects: int, **options: Any) -> None:
        if subjects < 1:
            raise CommandError("--subjects must be at least 1.")
        started = time.monotonic()
        try:
            built = dataset_build(subjects=subjects, progress=self.stdout.write)
        except DatasetRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{built.subjects} subjects, {built.consents} consents, {built.requests} requests, "
            f"{built.suppression_entries} suppression entries, {built.history_rows} history rows "
            f"in {time.monotonic() - started:.1f} s"
        )

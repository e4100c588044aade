from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.encryption import DecryptionError
from common.key_rotation import reencrypt_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value (history rows included) under the first key of "
        "FIELD_ENCRYPTION_KEYS, so that older keys can be removed. Run as the database owner."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the values under each key; change none."
        )
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="Also recompute the blind indexes (after BLIND_INDEX_KEY has changed).",
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = reencrypt_all(
                dry_run=options["dry_run"],
                reindex=options["reindex"],
                batch_size=options["batch_size"],
            )
        except DecryptionError as error:
            raise CommandError(
                f"{error}. Put every key still in use back into FIELD_ENCRYPTION_KEYS."
            ) from None
        verb = "would re-encrypt" if options["dry_run"] else "re-encrypted"
        self.stdout.write(f"Current key: {report.current_key}")
        for key_id, count in sorted(report.values_by_key.items()):
            self.stdout.write(f"Values under key {key_id} before: {count}")
        for model, rows in sorted(report.rewritten.items()):
            self.stdout.write(f"{model}: {verb} {rows} rows")
        if options["dry_run"]:
            return
        if report.old_values_left:
            raise CommandError(f"{report.old_values_left} values are still under older keys.")
        old = sorted(set(report.values_by_key) - {report.current_key})
        if old:
            self.stdout.write(
                self.style.SUCCESS(
                    f"No value is left under {', '.join(old)}: remove them from "
                    "FIELD_ENCRYPTION_KEYS."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Every value is under the current key."))

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from common.media_files import orphan_files
from imports.services.uploads import staged_uploads_expire


class Command(BaseCommand):
    help = (
        "Delete files under MEDIA_ROOT that no row or history row points at (left by a crash "
        "between a commit and its file deletion). Files younger than --min-age-hours are kept. "
        "Also deletes the files of admin import previews never confirmed, once expired."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List; delete nothing.")
        parser.add_argument("--min-age-hours", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        found = orphan_files(older_than=timedelta(hours=options["min_age_hours"]))
        root = str(settings.MEDIA_ROOT)
        for path in found:
            # The path only: file names are ids and digests, never a person's name.
            self.stdout.write(str(path).removeprefix(root).lstrip("/"))
            if not options["dry_run"]:
                path.unlink(missing_ok=True)
        verb = "would be deleted" if options["dry_run"] else "deleted"
        self.stdout.write(f"{len(found)} orphan files {verb}.")
        if not options["dry_run"]:
            previews = staged_uploads_expire()
            self.stdout.write(f"{previews} files of import previews never confirmed deleted.")

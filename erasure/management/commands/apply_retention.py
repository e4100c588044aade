import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from erasure.retention import apply_retention, expired_requests, retention_candidates


class Command(BaseCommand):
    help = (
        "Erase subjects whose every purpose has ended (plus its retention period) and who are "
        "not kept by law, and forget the requester details of long-closed requests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List; change nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        result: dict[str, Any]  # printed as one JSON object
        if dry_run:
            candidates = retention_candidates()
            result = {
                "dry_run": True,
                "subjects": [{"id": c.subject_id, "reason": c.reason} for c in candidates],
                "requests_to_blank": expired_requests().count(),
            }
        else:
            report = apply_retention()
            result = {
                "dry_run": False,
                "erased": report.erased,
                "refused": report.refused,
                "requests_blanked": report.requests_blanked,
            }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if dry_run:
            for item in result["subjects"]:
                self.stdout.write(f"#{item['id']}: {item['reason']}")
            self.stdout.write(
                f"{len(result['subjects'])} subjects would be erased; "
                f"{result['requests_to_blank']} closed requests are past their retention."
            )
        else:
            self.stdout.write(
                f"{len(result['erased'])} subjects erased, {len(result['refused'])} refused, "
                f"{result['requests_blanked']} requests' details forgotten."
            )

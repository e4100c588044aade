import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from erasure.retention import (
    apply_retention,
    expired_requests,
    retention_candidates,
    subjects_without_legal_basis,
)


class Command(BaseCommand):
    help = (
        "Erase subjects whose every purpose has ended (plus its retention period) and who are "
        "not kept by law, and forget the requester details of long-closed requests. Subjects "
        "without any legal basis are counted for the privacy officer, not erased."
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
                "without_legal_basis": subjects_without_legal_basis().count(),
            }
        else:
            report = apply_retention()
            result = {
                "dry_run": False,
                "erased": report.erased,
                "refused": report.refused,
                "requests_blanked": report.requests_blanked,
                "without_legal_basis": report.without_legal_basis,
            }
        # Not erased by the job: the privacy officer decides (the subject list, "no legal basis").
        flagged = f" {result['without_legal_basis']} subjects have no legal basis recorded."
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if dry_run:
            for item in result["subjects"]:
                self.stdout.write(f"#{item['id']}: {item['reason']}")
            self.stdout.write(
                f"{len(result['subjects'])} subjects would be erased; "
                f"{result['requests_to_blank']} closed requests are past their retention." + flagged
            )
        else:
            self.stdout.write(
                f"{len(result['erased'])} subjects erased, {len(result['refused'])} refused, "
                f"{result['requests_blanked']} requests' details forgotten." + flagged
            )

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.services import PASSWORD, Tally, demo_seed

ADMIN_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = (
        "Fill the back-office with made-up demo data and print the demo logins. Idempotent: "
        "a second run changes nothing. Refuses to run with DEBUG off unless --force is given, "
        "because it creates a superuser with a published password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off. Never on a database with real people in it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # DEBUG is on in the demo settings and off in production: the only signal we have that
        # printing a superuser's password is harmless here.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a real deployment. seed_demo creates a superuser "
                "with a published password; pass --force if this database is really a demo."
            )
        summary = demo_seed()

        rows: list[tuple[str, Tally]] = [
            ("Subjects", summary.subjects),
            ("Contact handles", summary.handles),
            ("Consents", summary.consents),
            ("Processors", summary.processors),
            ("Requests", summary.requests),
        ]
        self.stdout.write("Demo data:")
        if summary.operator_created:
            self.stdout.write("  Operator profile: created")
        for label, tally in rows:
            self.stdout.write(f"  {label}: {tally.total} ({tally.created} new)")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Admin: {ADMIN_URL}"))
        for user in summary.users:
            self.stdout.write(f"  Login: {user.username}  Password: {PASSWORD}  ({user.role})")

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from erasure.roles_sql import hardening_statements


class Command(BaseCommand):
    help = (
        "Grant the application's database role what it needs and no more: history and the "
        "erasure log append-only, history blanked only through the erasure door. Run as the "
        "owner role after every migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-role", required=True, help="The role the application uses.")
        parser.add_argument(
            "--print", action="store_true", help="Print the SQL instead of running it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Role hardening is for PostgreSQL (the demo's SQLite has no roles).")
        statements = hardening_statements(options["app_role"])
        if options["print"]:
            for statement in statements:
                self.stdout.write(statement + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [options["app_role"]])
            if cursor.fetchone() is None:
                raise CommandError(f"No database role {options['app_role']!r}: create it first.")
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"{len(statements)} grants applied for {options['app_role']}.")

from django.core.management.base import BaseCommand

from accounts.roles import roles_sync


class Command(BaseCommand):
    help = "Create or update the groups Privacy officer, Staff and Auditor with their permissions."

    def handle(self, *args: object, **options: object) -> None:
        for role, count in roles_sync().items():
            self.stdout.write(f"{role}: {count} permissions")

from django.core.management.base import BaseCommand, CommandError

from requests.services.reminders import ReminderNotSent, reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each assignee about their open requests due within one working day (overdue "
        "ones included). At most once a day per request: run it as often as you like."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            counts = reminders_send()
        except ReminderNotSent as error:
            raise CommandError(
                f"Not sent (will be tried again on the next run): {error}"
            ) from error
        self.stdout.write(
            f"{counts.emails} e-mail(s) about {counts.requests} request(s); "
            f"{counts.already_reminded} already reminded today; "
            f"{counts.nobody_to_remind} with nobody to remind."
        )

from django.core.management.base import BaseCommand, CommandError

from requests.services.reminders import ReminderNotSent, reminder_parts, reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each assignee about their open requests due within one working day (overdue "
        "ones included), and whatever other apps remind of daily (open breach incidents; the "
        "transfer notices owed by processors whose activity begins). At most once a day per "
        "item: run it as often as you like."
    )

    def handle(self, *args: object, **options: object) -> None:
        failed = []
        try:
            counts = reminders_send()
        except ReminderNotSent as error:
            failed.append(str(error))
        else:
            self.stdout.write(
                f"{counts.emails} e-mail(s) about {counts.requests} request(s); "
                f"{counts.already_reminded} already reminded today; "
                f"{counts.nobody_to_remind} with nobody to remind."
            )
        # The reminders other apps add (open breach incidents): one failure stops no other.
        for part in reminder_parts:
            try:
                self.stdout.write(part())
            except ReminderNotSent as error:
                failed.append(str(error))
        if failed:
            raise CommandError(
                f"Not sent (will be tried again on the next run): {'; '.join(failed)}"
            )

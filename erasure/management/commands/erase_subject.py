from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.errors import refusal_exit
from erasure.services import ErasureError, ErasureRefused, erasure_replay, subject_erase
from requests.models import SubjectRequest
from subjects.models import Subject
from subjects.selectors import subject_find_by_email


class Command(BaseCommand):
    help = (
        "Erase a data subject (every personal value, history included), or with --replay erase "
        "again everyone in the erasure journal after a backup restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--subject", type=int, help="Subject id.")
        target.add_argument("--email", help="Subject's e-mail address.")
        target.add_argument("--replay", action="store_true", help="Re-apply the erasure journal.")
        parser.add_argument("--journal", help="Journal file for --replay (default: the setting).")
        parser.add_argument("--actor", help="Username of the privacy officer erasing.")
        parser.add_argument("--request", type=int, help="Id of the request asking for erasure.")
        parser.add_argument("--reason", default="", help="Why (no personal data here).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would be erased; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["replay"]:
            if options["dry_run"]:
                raise CommandError("--dry-run is not available with --replay.")
            report = erasure_replay(path=options["journal"])
            self.stdout.write(
                f"Replayed the journal: {report.erased} erased again, "
                f"{report.already_erased} already erased, {report.missing} not in this database."
            )
            return
        subject = self._subject(options)
        actor = self._actor(options["actor"])
        subject_request = None
        if options["request"] is not None:
            subject_request = SubjectRequest.objects.filter(pk=options["request"]).first()
            if subject_request is None:
                raise CommandError(f"No request with id {options['request']}.")
        if options["dry_run"]:
            self.stdout.write(f"Would erase subject #{subject.pk} (state {subject.state}).")
            return
        reason = options["reason"] or (
            f"Request #{subject_request.pk}" if subject_request else "Erasure"
        )
        try:
            log = subject_erase(
                subject=subject, actor=actor, reason=reason, subject_request=subject_request
            )
        except ErasureRefused as refused:
            raise CommandError(f"Refused (logged as #{refused.log.pk}): {refused}") from None
        except ErasureError as error:
            raise refusal_exit(error) from None
        self.stdout.write(f"Subject #{subject.pk} erased (log #{log.pk}).")

    def _subject(self, options: dict[str, Any]) -> Subject:
        if options["subject"] is not None:
            subject = Subject.objects.filter(pk=options["subject"]).first()
            missing = f"No subject with id {options['subject']}."
        else:
            subject = subject_find_by_email(email=options["email"])
            missing = "No subject with that e-mail address."
        if subject is None:
            raise CommandError(missing)
        return subject

    def _actor(self, username: str | None) -> User:
        if not username:
            raise CommandError("Say who erases: --actor USERNAME (a privacy officer).")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        if not user.has_perm("erasure.erase_subject"):
            raise CommandError(
                f"{username} may not erase subjects (needs the privacy officer role)."
            )
        return user

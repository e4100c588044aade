"""The one family of refusals: what the rules do not allow, said in the user's language.

Every service refuses by raising a `DomainError` (or a subclass its app names): a translatable
message that says why, and a code that names the rule (tests and callers branch on the code, never
on the wording). It is a `ValidationError`, so a model form or the admin shows it where Django
shows any invalid input; the interfaces turn it into a form error, a message or an exit code, each
in one place (`common.admin.refusal_message`, `common.errors.refusal_exit`).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


class DomainError(ValidationError):
    """A refusal: one translatable message (with its params) and a code naming the rule."""

    default_code = "refused"
    code: str  # always set: the rule's name

    def __init__(
        self, message: Any, code: str | None = None, params: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, code=code or self.default_code, params=params)

    @property
    def text(self) -> str:
        """The message as shown to a person, its params filled in."""
        message = str(self.message)
        return message % self.params if self.params else message

    def __str__(self) -> str:
        return self.text


def refusal_exit(error: DomainError) -> CommandError:
    """A command's exit for a refusal: the message on stderr and a non-zero exit status."""
    return CommandError(error.text)

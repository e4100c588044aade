"""An erased subject, and every row attached to it, is read-only in the admin.

The rule is subjects.services.subject_is_erased (the services refuse the write with
subject_ensure_writable); the admin only asks it, to render the pages read-only.
"""

from typing import Any

from django.db import models
from django.http import HttpRequest

from subjects.models import Subject
from subjects.selectors import subjects_writable
from subjects.services import subject_is_erased


class ErasedSubjectReadOnly:
    """Admin mixin: change and delete refused for rows whose subject is erased.

    `subject_path` names the subject from a row ("subject", "consent__subject"; "" for the
    subject itself), as the personal-data registry does.
    """

    subject_path = "subject"

    def subject_of(self, obj: models.Model) -> Subject | None:
        target: Any = obj
        for name in filter(None, self.subject_path.split("__")):
            target = getattr(target, name, None)
        return target if isinstance(target, Subject) else None

    def is_frozen(self, obj: models.Model | None) -> bool:
        subject = self.subject_of(obj) if obj is not None else None
        return subject is not None and subject_is_erased(subject)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> Any:
        # A new row (a consent, agreement data) can't be attached to an erased subject.
        if db_field.related_model is Subject:
            kwargs.setdefault("queryset", subjects_writable())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if self.is_frozen(obj):
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if self.is_frozen(obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

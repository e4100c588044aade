"""Writes to the processors app. Each is atomic and leaves history (user, reason)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.approval import ensure_approved
from common.errors import DomainError
from common.history import save_valid_with_history, save_with_history
from consents.models import Purpose
from processors.models import Disclosure, PersonalDataListVersion, Processor, TransferNotice
from processors.notices import notices_for_disclosure, notices_for_processor
from processors.registers import REGISTER_LANGUAGES, document_content, personal_data_list
from subjects.models import Subject
from subjects.services import subject_ensure_writable, subject_is_erased


def disclosure_subjects_check(subjects: Iterable[Subject]) -> None:
    """Raise ValidationError on `subjects` when a disclosure can't name them: none named, or an
    erased one (nothing of theirs is left to disclose, and nothing is recorded about them after
    their erasure). The admin's form calls it too, to show the refusal beside the field."""
    subjects = list(subjects)
    if not subjects:
        raise ValidationError(
            {"subjects": _("Name at least one data subject whose data was disclosed.")}
        )
    erased = [subject.pk for subject in subjects if subject_is_erased(subject)]
    if erased:
        raise ValidationError(
            {
                "subjects": _("Erased subjects can't be named in a disclosure: #%(ids)s.")
                % {"ids": ", #".join(str(pk) for pk in erased)}
            }
        )


@transaction.atomic
def disclosure_record(
    *,
    actor: User | None,
    reason: str,
    recipient: str,
    recipient_kind: str,
    disclosed_at: datetime,
    legal_basis: str,
    subjects: Iterable[Subject],
    data_categories: Sequence[str],
    document: "File[Any] | None" = None,
    note: str = "",
) -> Disclosure:
    """Log a disclosure to a state body or another third party.

    A disclosure names at least one subject and one category, has already happened (not in the
    future) and states its legal basis; the acting user is recorded as the one who logged it.
    The subjects are set once, here: the admin shows them read-only afterwards. Subjects whose
    consent asks to be told of transfers get their notices (processors.notices).
    """
    subjects = list(subjects)
    for subject in subjects:
        subject_ensure_writable(subject=subject)  # locks the row: no erasure slips in between
    disclosure_subjects_check(subjects)
    disclosure = Disclosure(
        recipient=recipient,
        recipient_kind=recipient_kind,
        disclosed_at=disclosed_at,
        legal_basis=legal_basis,
        data_categories=list(data_categories),
        note=note,
        recorded_by=actor,
    )
    if document is not None:
        disclosure.document = document
    save_valid_with_history(disclosure, actor=actor, reason=reason)
    disclosure.subjects.set(subjects)
    # Art. 19(1): the subjects whose consent asks to be told of a transfer are owed a notice.
    notices_for_disclosure(disclosure=disclosure, actor=actor, reason=reason)
    return disclosure


@dataclass(frozen=True)
class ProcessorSaved:
    processor: Processor
    notices: list[TransferNotice]  # owed by this save to the subjects who asked (Art. 19(1))


@transaction.atomic
def processor_save(
    *,
    processor: Processor,
    purposes: Iterable[Purpose] | None,
    actor: User | None,
    reason: str,
) -> ProcessorSaved:
    """Save a processor, new or changed, with the purposes it serves (None: as they are), and
    make the transfer notices the save owes.

    A purpose it serves now and did not before makes it a new recipient of that purpose's data,
    and a move abroad (it stops keeping the data in Kazakhstan) a new cross-border transfer: the
    subjects whose consent asks to be told of transfers are owed a notice (processors.notices).
    """
    before = None
    if processor.pk is not None:  # the row as stored, locked: two saves count one change once
        before = Processor.objects.select_for_update().filter(pk=processor.pk).first()
    purposes_before = set(before.purposes.values_list("pk", flat=True)) if before else set()
    save_valid_with_history(processor, actor=actor, reason=reason)
    if purposes is not None:
        processor.purposes.set(purposes)
    notices = notices_for_processor(
        processor=processor,
        purposes_before=purposes_before,
        was_cross_border=before.is_cross_border if before else None,
        actor=actor,
        reason=reason,
    )
    return ProcessorSaved(processor=processor, notices=notices)


@transaction.atomic
def personal_data_list_draw_up(
    *, version_label: str, actor: User | None, reason: str
) -> PersonalDataListVersion:
    """Keep the list of personal data as the tables give it today, in Kazakh and Russian, as a
    version to approve; it is not current until approved and made current."""
    documents = {language: personal_data_list(language=language) for language in REGISTER_LANGUAGES}
    version = PersonalDataListVersion(
        version_label=version_label.strip(),
        drawn_up_on=timezone.localdate(),
        content={language: document_content(doc) for language, doc in documents.items()},
    )
    save_valid_with_history(version, actor=actor, reason=reason)
    return version


@transaction.atomic
def personal_data_list_make_current(
    *, version: PersonalDataListVersion, actor: User | None, reason: str
) -> PersonalDataListVersion:
    """Make an approved version the current list; the earlier ones stay, each with its approval."""
    version = PersonalDataListVersion.objects.select_for_update().get(pk=version.pk)
    ensure_approved(version)
    if version.current_from is not None:
        raise DomainError(
            _("“%(version)s” has already been made current."),
            code="already_current",
            params={"version": str(version)},
        )
    version.current_from = timezone.now()
    save_with_history(version, actor=actor, reason=reason)
    return version

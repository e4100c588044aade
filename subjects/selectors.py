import re

from django.db.models import Q, QuerySet, TextField
from django.db.models.expressions import RawSQL

from subjects.models import Subject, SubjectState


def subject_find_by_email(*, email: str) -> Subject | None:
    """The subject with this e-mail, compared case-insensitively as the unique constraint does."""
    return Subject.objects.filter(email__iexact=(email or "").strip()).first()


def subjects_writable() -> QuerySet[Subject]:
    """Subjects that may still be written to or linked to new records (see
    subjects.services.subject_is_erased): every one but the erased."""
    return Subject.objects.exclude(state=SubjectState.ERASED)


# What people type for a phone: digits with spaces, dashes, brackets, perhaps a leading plus.
_PHONE_TYPED = re.compile(r"\+?[\d\s()\-]+")
_DIGITS_FOR_PHONE = 3  # fewer digits match a good part of the register, and no trigram


# The whole name, the e-mail and the phone as one text: the expression of the one trigram
# index of the search, subject_search_trgm (subjects migration 0005), which a search must
# repeat exactly. One index, not one per field: every subject an import writes pays for each.
SEARCH_TEXT_SQL = (
    "last_name || ' ' || first_name || ' ' || patronymic || ' ' || COALESCE(email, '')"
    " || ' ' || phone"
)


def subject_search(queryset: QuerySet[Subject], term: str) -> QuerySet[Subject]:
    """`queryset` narrowed to the subjects `term` describes as people type it: an e-mail or part
    of one, a phone number however written, or words of a name (each word somewhere in the
    name or e-mail, in any case: "қасымова әйгерім", "ИВАНОВ")."""
    found = subject_search_by_contact(queryset, term)
    if found is not None:
        return found
    text = _with_search_text(queryset)
    for word in term.split():
        text = text.filter(Q(search_text__icontains=word))  # Q: the alias is made above
    return text


def _with_search_text(queryset: QuerySet[Subject]) -> QuerySet[Subject]:
    return queryset.alias(
        search_text=RawSQL(  # noqa: S611 - a constant expression; the words are LIKE parameters
            SEARCH_TEXT_SQL, (), output_field=TextField()
        )
    )


def _found_by(queryset: QuerySet[Subject], fragment: str, **exact: str) -> QuerySet[Subject]:
    """Subjects whose search text holds `fragment` (what the index finds), narrowed by the
    `exact` conditions on the field itself (what decides)."""
    return _with_search_text(queryset).filter(Q(search_text__icontains=fragment), **exact)


def subject_search_by_contact(queryset: QuerySet[Subject], term: str) -> QuerySet[Subject] | None:
    """`queryset` narrowed to the subjects whose phone or e-mail matches `term` as people type
    them, or None when `term` is neither.

    Phones are stored in E.164 (+77011234567) and typed every way: "+7 701 234", "8 (701) 234"
    (8 is the national trunk prefix), "77012345678", or a fragment "701 23 45". A number typed
    from its start is searched from the start of the stored one (a B-tree range), a fragment
    anywhere in it. Each is found through the search text's trigram index (subjects migration
    0005): "@" is only in the e-mail, "+" only in the phone."""
    text = term.strip()
    if "@" in text:
        return _found_by(queryset, text, email__icontains=text)
    if not _PHONE_TYPED.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) < _DIGITS_FOR_PHONE:
        return None
    if text.startswith("+"):
        return _found_by(queryset, f"+{digits}", phone__startswith=f"+{digits}")
    if digits[0] == "8" and len(digits) >= 4:  # "8 701 ..." is "+7 701 ..."
        return _found_by(queryset, f"+7{digits[1:]}", phone__startswith=f"+7{digits[1:]}")
    if digits[0] == "7" and len(digits) == 11:  # "7 701 234 56 78": the whole number
        return _found_by(queryset, f"+{digits}", phone=f"+{digits}")
    return _found_by(queryset, digits, phone__contains=digits)

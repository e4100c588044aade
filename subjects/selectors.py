import re
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from subjects.models import Subject, SubjectSearch, SubjectState


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
_IDS_READ_FIRST = 10_000  # subjects a search of several words reads the ids of first, at most


# The whole name, the e-mail and the phone as one text. On PostgreSQL it is stored, upper-cased,
# in subjects_subjectsearch (subjects migration 0007: a trigram index on it, a B-tree on the
# phone); the SQLite demo has no triggers to keep that table and computes it here instead.
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
    # All words in one filter: one scan of the trigram index answers them together.
    return _holding(queryset, *term.split())


def _indexed() -> bool:
    return connection.vendor == "postgresql"


def _holding(queryset: QuerySet[Subject], *fragments: str) -> QuerySet[Subject]:
    """Subjects whose search text holds every one of `fragments`, in any case."""
    if not fragments:
        return queryset
    if _indexed():
        # The stored text is upper-cased by PostgreSQL's UPPER: the fragment is too, in SQL.
        patterns = [Upper(Value(fragment)) for fragment in fragments]
        if len(patterns) == 1:
            return queryset.filter(search__text__contains=patterns[0])
        # Several words: the planner multiplies their selectivities and expects a handful, where
        # two common words ("ФЁДОРОВА ЕЛЕНА") find thousands; joined, each of them would be
        # fetched from subjects_subject before the list is sorted and cut to a page, in the
        # list's count and again in its page. Their ids are read first, once, instead: the
        # count and the page then probe the primary key with them, and the page stops at its
        # 50. (Past _IDS_READ_FIRST, the list's queries search again, each for themselves.)
        holding = SubjectSearch.objects.filter(*(Q(text__contains=p) for p in patterns))
        ids = list(holding.values_list("subject_id", flat=True)[: _IDS_READ_FIRST + 1])
        if len(ids) > _IDS_READ_FIRST:
            return queryset.filter(_AmongIds(F("pk"), Subquery(holding.values("subject_id"))))
        # The list's paginator takes its count from these (common.pagination).
        return queryset.filter(_AmongIds(F("pk"), Value(ids), rows=len(ids)))
    text = queryset.alias(
        search_text=RawSQL(  # noqa: S611 - a constant expression; the words are LIKE parameters
            SEARCH_TEXT_SQL, (), output_field=TextField()
        )
    )
    return text.filter(*(Q(search_text__icontains=fragment) for fragment in fragments))


class _AmongIds(Func):
    """`id = ANY (ids)`: ids as a list, or a subquery run once before the outer query (as an
    array, as the import reaches subjects: imports.services); each probes the primary key.
    PostgreSQL only (the search table is)."""

    output_field = BooleanField()

    def __init__(self, column: Any, ids: Any, *, rows: int | None = None) -> None:
        super().__init__(column, ids)
        # Given ids of existing subjects (read from the search table, which is kept with them
        # by triggers), how many rows this filter keeps: common.pagination counts by it.
        self.rows_kept = rows

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column, ids = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        if isinstance(ids, Subquery):
            ids_sql, ids_params = compiler.compile(ids)
            return f"{column_sql} = ANY (ARRAY{ids_sql})", (*column_params, *ids_params)
        # One text parameter, '{1,2,3}': psycopg writes a list parameter element by element
        # (a regular expression each), ~3 ms for the 2,000 ids of two common words.
        literal = "{" + ",".join(str(int(pk)) for pk in ids.value) + "}"
        return f"{column_sql} = ANY (%s::bigint[])", (*column_params, literal)


def _phone(queryset: QuerySet[Subject], lookup: str, value: str) -> QuerySet[Subject]:
    """Subjects whose phone matches `value` by `lookup` ("startswith", "exact"): on PostgreSQL
    through the B-tree on the search table's copy of it."""
    field = "search__phone" if _indexed() else "phone"
    return queryset.filter(**{f"{field}__{lookup}": value})


def subject_search_by_contact(queryset: QuerySet[Subject], term: str) -> QuerySet[Subject] | None:
    """`queryset` narrowed to the subjects whose phone or e-mail matches `term` as people type
    them, or None when `term` is neither.

    Phones are stored in E.164 (+77011234567) and typed every way: "+7 701 234", "8 (701) 234"
    (8 is the national trunk prefix), "77012345678", or a fragment "701 23 45". A number typed
    from its start is searched from the start of the stored one (a B-tree range), a fragment
    anywhere in it (the search text's trigram index, which finds; the field then decides: "@"
    is only in the e-mail)."""
    text = term.strip()
    if "@" in text:
        return _holding(queryset, text).filter(email__icontains=text)
    if not _PHONE_TYPED.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) < _DIGITS_FOR_PHONE:
        return None
    if text.startswith("+"):
        return _phone(queryset, "startswith", f"+{digits}")
    if digits[0] == "8" and len(digits) >= 4:  # "8 701 ..." is "+7 701 ..."
        return _phone(queryset, "startswith", f"+7{digits[1:]}")
    if digits[0] == "7" and len(digits) == 11:  # "7 701 234 56 78": the whole number
        return _phone(queryset, "exact", f"+{digits}")
    return _holding(queryset, digits).filter(phone__contains=digits)

# ruff: noqa: S608 - statements are built from model metadata and constants only; every
# value from a file travels as a query parameter or through COPY, never inside the SQL text.
"""SQL pieces of the PostgreSQL writer, built from the models so a new field is never missed."""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models

from imports.services.rows import FILLABLE, StageRow

# The staging table: what the statements read of a row. Evidence and raw evidence come built
# (rows.evidence_text, writing.payload_json_maker), so both writers store exactly the same.
STAGE_FIELDS = (
    "line", "email", "email_digest", "phone", "phone_digest", "last_name", "first_name",
    "patronymic", "city", "country", "address", "organisation", "position", "birth_date",
    "preferred_language", "given_at", "event_at", "policy_version_id", "source", "evidence",
    "payload",
)  # fmt: skip
TYPES = {
    "line": "integer", "birth_date": "date", "given_at": "timestamptz",
    "event_at": "timestamptz", "policy_version_id": "bigint", "payload": "jsonb",
}  # fmt: skip
STAGE_COLUMNS = ", ".join(f"{name} {TYPES.get(name, 'text')}" for name in STAGE_FIELDS)
_NULL = "\x1e"  # never in a row: the cleaner refuses control characters
_TABS = len(STAGE_FIELDS) - 1
_HISTORY_OWN = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


def _escape(value: object) -> str:
    if value is None:
        return "\\N"
    text = value if type(value) is str else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_line(r: StageRow, *, evidence: str, payload: str) -> str:
    """One line of COPY's text format. Escapes are rare in lists, so the line is built plainly
    (None as a placeholder) and checked once; only a line that needs escaping is rebuilt."""
    given_at = r.confirm_time or r.optin_time
    values = (
        str(r.line), r.email, r.email_digest, r.phone, r.phone_digest or _NULL, r.last_name,
        r.first_name, r.patronymic, r.city, r.country, r.address, r.organisation, r.position,
        r.birth_date.isoformat() if r.birth_date else _NULL, r.preferred_language or _NULL,
        given_at.isoformat() if given_at else _NULL,
        r.event_at.isoformat() if r.event_at else _NULL,
        _NULL if r.policy_version_id is None else str(r.policy_version_id), r.source, evidence,
        payload,
    )  # fmt: skip
    line = "\t".join(values)
    if line.count("\t") != _TABS or "\\" in line or "\n" in line or "\r" in line:
        line = "\t".join(_escape(None if value == _NULL else value) for value in values)
    return line.replace(_NULL, "\\N") + "\n"


def history_insert(model: type[models.Model], *, source: str, history_type: str) -> str:
    """`INSERT INTO <history> SELECT ... FROM <source>`: a history row for each written row.

    Every field of the model is copied; the history's own fields get the job's time, reason and
    user. A history field this code does not know (a simple-history option turned on later)
    stops the import instead of going unfilled.
    """
    history = model.history.model  # type: ignore[attr-defined]
    base = {f.name for f in model._meta.concrete_fields}
    unknown = {f.name for f in history._meta.concrete_fields} - base - _HISTORY_OWN
    if unknown:
        raise ImproperlyConfigured(f"{history.__name__}: fields the importer can't fill {unknown}")
    names = [history._meta.get_field(f.name).column for f in model._meta.concrete_fields]
    values = [f"{source}.{f.column}" for f in model._meta.concrete_fields]
    names += ["history_date", "history_change_reason", "history_type", "history_user_id"]
    values += ["%(now)s", "%(reason)s", f"'{history_type}'", "%(actor)s"]
    return (
        f"INSERT INTO {history._meta.db_table} ({', '.join(names)}) "
        f"SELECT {', '.join(values)} FROM {source}"
    )


def insert_columns(
    model: type[models.Model], given: dict[str, str], params: dict[str, object]
) -> tuple[str, str]:
    """Column list and SELECT list of an INSERT; columns not `given` get the field's default."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.column not in given:
            continue  # the database's
        names.append(f.column)
        if f.column in given:
            values.append(given[f.column])
        else:
            key = f"default_{model._meta.model_name}_{f.column}"
            params[key] = f.get_db_prep_save(f.get_default(), connection)
            values.append(f"%({key})s")
    return ", ".join(names), ", ".join(values)  # type: ignore[arg-type]


def fills(subject: str, row: str, *, phone_allowed: str = "true") -> str:
    """Whether `row` has a value for a field that `subject` leaves empty."""
    return " OR ".join(
        f"({subject}.birth_date IS NULL AND {row}.birth_date IS NOT NULL)"
        if name == "birth_date"
        else f"({subject}.phone = '' AND {row}.phone <> '' AND {phone_allowed})"
        if name == "phone"
        else f"({subject}.{name} = '' AND {row}.{name} <> '')"
        for name in FILLABLE
    )


def fill_assignments(subject: str, row: str, *, phone_allowed: str = "true") -> str:
    """SET list that fills only the empty fields of `subject` (existing data is never lost); a
    phone comes with its digest (subjects.contact_digests)."""
    return ", ".join(
        f"birth_date = coalesce({subject}.birth_date, {row}.birth_date)"
        if name == "birth_date"
        else f"phone = CASE WHEN {subject}.phone = '' AND {phone_allowed} THEN {row}.phone "
        f"ELSE {subject}.phone END, phone_digest = CASE WHEN {subject}.phone = '' AND "
        f"{phone_allowed} THEN {row}.phone_digest ELSE {subject}.phone_digest END"
        if name == "phone"
        else f"{name} = CASE WHEN {subject}.{name} = '' THEN {row}.{name} ELSE {subject}.{name} END"
        for name in FILLABLE
    )

"""The keyed digests a subject keeps beside its e-mail and phone (common.contact_digests), so
that the mailing list is matched against the suppression list in SQL.

A digest is never stale: the field computes it whenever the row is saved (also by bulk_create),
and on PostgreSQL a trigger sets it to NULL when a statement changes the e-mail or phone without
it (a QuerySet.update, raw SQL). NULL with a value beside it means "not known": readers hash the
value themselves then (consents.selectors.mailing_list_batches).
"""

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from common.contact_digests import EMAIL, PHONE, stored_contact_digest, stored_contact_digester

DIGEST_OF = {"email": "email_digest", "phone": "phone_digest"}  # source field -> digest field
KIND_OF = {"email": EMAIL, "phone": PHONE}


class ContactDigestField(models.CharField):
    """The digest of the row's `source` field (an e-mail or a phone), set on every save."""

    def __init__(self, *args: Any, source: str = "email", **kwargs: Any) -> None:
        self.source = source
        kwargs.update(max_length=64, null=True, blank=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("max_length", "null", "blank", "editable"):
            kwargs.pop(fixed, None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        digest = stored_contact_digest(KIND_OF[self.source], getattr(model_instance, self.source))
        setattr(model_instance, self.attname, digest)
        return digest


def with_digests(update_fields: Any) -> Any:
    """update_fields with the digest of each e-mail or phone in it: they are written together."""
    if update_fields is None:
        return None
    names = set(update_fields)
    return names | {DIGEST_OF[name] for name in names if name in DIGEST_OF}


FILL_BATCH = 20_000


def contact_digests_fill(connection: BaseDatabaseWrapper, *, table: str) -> int:
    """Write the digests of every row of `table` that lacks one, FILL_BATCH rows at a time, in
    id order (the migration that adds the columns, the demo data set made in SQL). Returns the
    rows written."""
    quote = connection.ops.quote_name
    email_digest, phone_digest = stored_contact_digester(EMAIL), stored_contact_digester(PHONE)
    written, after = 0, 0
    select = (
        f"SELECT id, email, phone FROM {quote(table)} WHERE id > %s AND ("  # noqa: S608 - our quoted table, bound values
        "(email IS NOT NULL AND email_digest IS NULL) OR (phone <> '' AND phone_digest IS NULL)"
        f") ORDER BY id LIMIT {FILL_BATCH}"
    )
    while True:
        with connection.cursor() as cursor:
            cursor.execute(select, [after])
            rows = cursor.fetchall()
            if not rows:
                return written
            values = [
                (email_digest(email) if email else None, phone_digest(phone) if phone else None, pk)
                for pk, email, phone in rows
            ]
            if connection.vendor == "postgresql":
                ids, emails, phones = ([row[at] for row in values] for at in (2, 0, 1))
                cursor.execute(
                    f"UPDATE {quote(table)} s SET email_digest = v.e, phone_digest = v.p "  # noqa: S608 - our quoted table, bound values
                    "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, e, p) "
                    "WHERE s.id = v.id",
                    [ids, emails, phones],
                )
            else:
                cursor.executemany(
                    f"UPDATE {quote(table)} SET email_digest = %s, phone_digest = %s "  # noqa: S608 - our quoted table, bound values
                    "WHERE id = %s",
                    values,
                )
        written += len(rows)
        after = rows[-1][0]


# PostgreSQL only. A digest left unchanged while its e-mail or phone changes is stale: NULL it.
# (Setting a digest to what it was, with a new value beside it, also NULLs it: only a slower
# read then, never a wrong one.)
TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION subjects_subject_digests_fresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.email IS DISTINCT FROM OLD.email
       AND NEW.email_digest IS NOT DISTINCT FROM OLD.email_digest THEN
        NEW.email_digest := NULL;
    END IF;
    IF NEW.phone IS DISTINCT FROM OLD.phone
       AND NEW.phone_digest IS NOT DISTINCT FROM OLD.phone_digest THEN
        NEW.phone_digest := NULL;
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS subjects_subject_digests_fresh ON subjects_subject;
CREATE TRIGGER subjects_subject_digests_fresh BEFORE UPDATE OF email, phone, email_digest,
    phone_digest ON subjects_subject FOR EACH ROW EXECUTE FUNCTION subjects_subject_digests_fresh();
"""
DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS subjects_subject_digests_fresh ON subjects_subject;
DROP FUNCTION IF EXISTS subjects_subject_digests_fresh();
"""

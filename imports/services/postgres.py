# ruff: noqa: S608 - statements are built from model metadata and constants only; every
# value from a file travels as a query parameter or through COPY, never inside the SQL text.
"""The PostgreSQL writer: COPY each chunk of rows into a staging table, then a few set-based
statements per chunk.

Row-by-row ORM writes stop at ~5,000 rows/s once a subject, a consent and both history rows
are written per person. Here Python only parses and validates (in a thread of its own, see
`pipeline`), and the server does the rest in bulk while Python reads the next chunk: check the
suppression list, then one statement per chunk that plans each row (its subject, its consents,
people met earlier) and writes subjects, consents and their history rows from that plan. People
met in earlier chunks are kept in `imports_people`, on the server, so Python memory does not
grow with the file.

A person is judged by their first valid row (e-mail and phone against the suppression list,
their subject, their consents); later rows of the same e-mail only fill fields still empty,
and never with a suppressed phone. The ORM writer applies the same rules.
"""

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, connection, models
from django.db.backends.utils import CursorWrapper

from consents.models import Consent, ConsentState, SuppressionEntry
from imports.services import sql, statuses
from imports.services.rows import FILLABLE, StageRow, evidence_text
from imports.services.writing import ImportConflict, Job, Outcome, payload_json_maker
from subjects.models import Source, Subject, SubjectState
from subjects.search import search_defer, search_index_created


def preparer(job: Job) -> Callable[[StageRow], tuple[str, str]]:
    """What the reading thread hands over for a valid row: its e-mail and its line of COPY,
    with the consent's evidence and raw evidence built there, while the server writes."""
    if not job.subscribing:
        return lambda row: (row.email, sql.copy_line(row, evidence="", payload="{}"))
    parts, payload_json = job.evidence, payload_json_maker(job)

    def prepare(row: StageRow) -> tuple[str, str]:
        return row.email, sql.copy_line(
            row, evidence=evidence_text(parts, row), payload=payload_json(row)
        )

    return prepare


def _sequence(model: type[models.Model]) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, "id"])
        return cursor.fetchone()[0]  # type: ignore[no-any-return]


# Rows of a chunk statement's result that are not outcomes of the plan.
ENTRIES, WITHDRAWN = "~suppression_entries", "~withdrawn"


class PostgresWriter:
    def __init__(self, job: Job) -> None:
        self.job = job
        self.rows = 0
        self._withdrawn = self._entries = 0
        self._cursor: CursorWrapper = None  # type: ignore[assignment]  # until __enter__
        self.params: dict[str, Any] = {
            "now": job.now,
            "reason": job.reason,
            "actor": job.actor_id,
            "purpose": job.purpose.pk,
            "source_detail": job.source_detail,
            "suppression_reason": job.suppression_reason,
            "channel": job.withdrawal_channel,
            "default_language": Subject._meta.get_field("preferred_language").default,
            "subject_sequence": _sequence(Subject),
            "consent_sequence": _sequence(Consent),
            "categories": Consent._meta.get_field("data_categories").get_db_prep_save(
                list(job.purpose.data_categories), connection
            ),
        }
        self._statements = self._build_statements()

    def __enter__(self) -> "PostgresWriter":
        self._cursor = connection.cursor()
        # For this transaction only: a chunk's sorts and hashes in memory, and no JIT (the
        # planner has no statistics on the staging tables to judge its worth by).
        self._cursor.execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off")
        # Foreign keys checked as each statement ends, not all at commit: the checks (a consent's
        # subject, purpose and policy version) then run while the reading thread works, instead
        # of after it has finished.
        self._cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # The subjects it creates are indexed for the search by a job after commit, not here.
        search_defer()
        # ON COMMIT DROP; dropped first as well, for a second file in the same transaction.
        self._cursor.execute(
            "DROP TABLE IF EXISTS imports_chunk, imports_extra, imports_people;"
            f"CREATE TEMP TABLE imports_chunk ({sql.STAGE_COLUMNS}) ON COMMIT DROP;"
            f"CREATE TEMP TABLE imports_extra ({sql.STAGE_COLUMNS}) ON COMMIT DROP;"
            "CREATE TEMP TABLE imports_people (email text PRIMARY KEY, subject_id bigint, "
            "  outcome text NOT NULL) ON COMMIT DROP"
        )
        return self

    def __exit__(self, kind: type[BaseException] | None, *error: object) -> None:
        if kind is None:  # the rest of the transaction as Django declares its constraints
            self._cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            search_defer(False)
            search_index_created(
                *self._fetch(
                    "SELECT min(subject_id), max(subject_id) FROM imports_people"
                    " WHERE outcome = 'created'"
                )[0]
            )
        self._cursor.close()

    def _run(self, statement: str) -> int:
        self._cursor.execute(statement, self.params)
        rows: int = self._cursor.rowcount
        return rows

    def _fetch(self, statement: str) -> list[tuple[Any, ...]]:
        self._cursor.execute(statement, self.params)
        found: list[tuple[Any, ...]] = self._cursor.fetchall()
        return found

    def _copy(self, table: str, lines: list[str]) -> None:
        with self._cursor.copy(f"COPY {table} ({', '.join(sql.STAGE_FIELDS)}) FROM STDIN") as copy:
            copy.write("".join(lines))

    def add_chunk(self, items: list[tuple[str, str]]) -> None:
        """Stage one chunk ((e-mail, COPY line) from `preparer`) and apply it to the registers.

        The first row of each e-mail goes to imports_chunk, later ones of the same chunk to
        imports_extra: most chunks have a few, and merging them needs no sort of the chunk.
        """
        self.rows += len(items)
        first: list[str] = []
        extra: list[str] = []
        seen: set[str] = set()
        for email, line in items:
            if email in seen:
                extra.append(line)
            else:
                seen.add(email)
                first.append(line)
        self._run("TRUNCATE imports_chunk, imports_extra")
        self._copy("imports_chunk", first)
        statements = self._statements
        if extra:
            self._copy("imports_extra", extra)
        self._run(statements["lock"])
        self._run(statements["banned"])
        if extra:
            self._run(statements["merge_extra"])
        try:
            counts = dict(self._fetch(statements["chunk"]))
        except IntegrityError as error:
            # Someone wrote one of these people (or their consent) since the chunk was planned.
            raise ImportConflict from error
        if counts.get("conflict"):  # the transaction is rolled back: nothing stays written
            raise ImportConflict
        self._entries += counts.get(ENTRIES, 0)
        self._withdrawn += counts.get(WITHDRAWN, 0)

    def finish(self) -> Outcome:
        outcome = Outcome(withdrawn=self._withdrawn, suppression_entries=self._entries)
        people = 0
        for name, count in self._fetch(
            "SELECT outcome, count(*) FROM imports_people GROUP BY outcome"
        ):
            setattr(outcome, name, count)
            people += count
        outcome.duplicates = self.rows - people
        return outcome

    def _build_statements(self) -> dict[str, str]:
        """Every statement of a chunk, built once per file."""
        # Who is kept out, and which consent a refusal spares: imports.services.statuses.
        kept_out = statuses.keeps_out_sql(
            email_listed="be.digest IS NOT NULL",
            phone_listed="bp.digest IS NOT NULL",
            live="coalesce(c.live, false)",
            withdrawn="coalesce(c.left_, false)",
        )
        spared = statuses.refusal_spares_sql(
            live_given_at="c.live_given_at", refused_at="r.event_at"
        )
        if self.job.subscribing:
            outcome = f"""CASE
                WHEN seen.email IS NOT NULL THEN 'duplicate'
                WHEN {kept_out} THEN 'suppressed'
                WHEN s.id IS NULL THEN 'created'
                WHEN s.state <> '{SubjectState.ACTIVE}' THEN 'conflict'
                WHEN NOT coalesce(c.live, false) OR {sql.fills("s", "r")} THEN 'updated'
                ELSE 'unchanged' END"""
        else:
            # A consent given after the person left (a new sign-up) is not undone by the list.
            outcome = f"""CASE
                WHEN seen.email IS NOT NULL THEN 'duplicate'
                WHEN coalesce(c.live, false) AND {spared} THEN 'unchanged'
                ELSE 'suppressed' END"""
        # Each staged row (r.*) with what is decided for it. Ids are drawn here, so that each
        # row and its history row are written from the plan by plain INSERT ... SELECT, the
        # same expressions twice. MATERIALIZED: computed once (nextval), kept in memory, and
        # read by every part of the chunk's statement.
        plan = f"""plan AS MATERIALIZED (
            SELECT q.*,
                CASE WHEN q.outcome = 'created' THEN nextval(%(subject_sequence)s) END
                    AS new_subject_id,
                CASE WHEN q.outcome = 'created' OR (q.outcome = 'updated' AND NOT q.live)
                    THEN nextval(%(consent_sequence)s) END AS new_consent_id
            FROM (
                SELECT r.*, s.id AS subject_id, coalesce(c.live, false) AS live,
                    seen.subject_id AS seen_subject_id, seen.outcome AS seen_outcome,
                    s.id IS NOT NULL AND ({sql.fills("s", "r")}) AS fills,
                    (r.phone_digest IS NULL OR bp.digest IS NULL) AS phone_allowed,
                    {outcome} AS outcome
                FROM imports_chunk r
                -- Looked up row by row through their indexes (LATERAL ... LIMIT 1, which the
                -- planner can't turn into a join): statistics of the tables this import grows
                -- lag behind, and hashing all subjects for each chunk would make an import
                -- quadratic.
                LEFT JOIN LATERAL (
                    SELECT pe.email, pe.subject_id, pe.outcome
                    FROM imports_people pe WHERE pe.email = r.email LIMIT 1
                ) seen ON true
                LEFT JOIN LATERAL (
                    SELECT * FROM subjects_subject x
                    WHERE lower(x.email) = r.email AND x.email IS NOT NULL LIMIT 1
                ) s ON true
                LEFT JOIN imports_banned be ON be.digest = r.email_digest
                LEFT JOIN imports_banned bp ON bp.digest = r.phone_digest
                LEFT JOIN LATERAL (
                    SELECT bool_or(state = '{ConsentState.GIVEN}') AS live,
                        bool_or(state = '{ConsentState.WITHDRAWN}') AS left_,
                        max(given_at) FILTER (WHERE state = '{ConsentState.GIVEN}')
                            AS live_given_at
                    -- "+ 0": find the subject's few consents by subject, never by purpose (a
                    -- purpose has them all, and right after a big import statistics lag).
                    FROM consents_consent WHERE subject_id = s.id AND purpose_id + 0 = %(purpose)s
                ) c ON true
            ) q
        ), people AS (
            INSERT INTO imports_people (email, subject_id, outcome)
            SELECT email, coalesce(subject_id, new_subject_id), outcome FROM plan
            WHERE outcome <> 'duplicate'
        )"""
        statements = {
            # The chunk's known people are locked first, as every writer of a subject locks it
            # (subjects.services.subject_ensure_writable): an erasure of one of them running now
            # is waited for, and the suppression list and subjects are then read as it left them.
            "lock": """
                SELECT 1 FROM subjects_subject WHERE email IS NOT NULL
                    AND lower(email) = ANY (ARRAY(SELECT email FROM imports_chunk
                                            UNION SELECT email FROM imports_extra))
                ORDER BY id FOR UPDATE""",
            "banned": """
                DROP TABLE IF EXISTS imports_banned;
                CREATE TEMP TABLE imports_banned ON COMMIT DROP AS
                SELECT digest FROM consents_suppressionentry WHERE kind = 'email'
                    AND digest = ANY (ARRAY(SELECT email_digest FROM imports_chunk
                                      UNION ALL SELECT email_digest FROM imports_extra))
                UNION SELECT digest FROM consents_suppressionentry WHERE kind = 'phone'
                    AND digest = ANY (ARRAY(SELECT phone_digest FROM imports_chunk
                                      UNION ALL SELECT phone_digest FROM imports_extra))""",
            "merge_extra": self._merge_extra(),
        }
        if self.job.subscribing:
            statements["chunk"] = self._subscribe_statement(plan)
        else:
            statements["chunk"] = self._unsubscribe_statement(plan)
        return statements

    @staticmethod
    def _merge_extra() -> str:
        """Later rows of an e-mail in the chunk fill what its first row lacks."""
        allowed = "phone_digest NOT IN (SELECT digest FROM imports_banned)"
        picks, merge = [], []
        for name in FILLABLE:
            if name == "birth_date":
                picks.append(
                    "(array_agg(birth_date ORDER BY line) FILTER (WHERE birth_date IS NOT NULL))"
                    "[1] AS birth_date"
                )
                merge.append("birth_date = coalesce(r.birth_date, d.birth_date)")
                continue
            condition = f"{name} <> ''" + (f" AND {allowed}" if name == "phone" else "")
            picks.append(
                f"coalesce((array_agg({name} ORDER BY line) FILTER (WHERE {condition}))[1], '')"
                f" AS {name}"
            )
            merge.append(f"{name} = CASE WHEN r.{name} = '' THEN d.{name} ELSE r.{name} END")
        picks.append(
            "(array_agg(phone_digest ORDER BY line) FILTER (WHERE phone <> '' AND "
            f"{allowed}))[1] AS phone_digest"
        )
        merge.append(
            "phone_digest = CASE WHEN r.phone = '' THEN d.phone_digest ELSE r.phone_digest END"
        )
        return (
            f"UPDATE imports_chunk r SET {', '.join(merge)} FROM ("
            f"SELECT email, {', '.join(picks)} FROM imports_extra GROUP BY email"
            ") d WHERE r.email = d.email"
        )

    def _inserts(self, model: type[models.Model], given: dict[str, str], where: str) -> str:
        """CTE parts: the INSERT of `model`'s rows from the plan, and of their history rows."""
        names, values = sql.insert_columns(model, given, self.params)
        table, history = model._meta.db_table, model.history.model._meta.db_table  # type: ignore[attr-defined]
        label = model._meta.model_name
        # The same expressions twice: the history row holds exactly what the row holds.
        return (
            f"new_{label} AS (INSERT INTO {table} ({names}) SELECT {values} FROM plan d "
            f"WHERE {where}), "
            f"new_{label}_history AS (INSERT INTO {history} ({names}, history_date, "
            "history_change_reason, "
            f"history_type, history_user_id) SELECT {values}, %(now)s, %(reason)s, '+', "
            f"%(actor)s FROM plan d WHERE {where})"
        )

    def _subscribe_statement(self, plan: str) -> str:
        subject = {name: f"d.{name}" for name in FILLABLE} | {
            "id": "d.new_subject_id",
            "email": "d.email",
            # Hashed by the reader already, for its own suppression check.
            "email_digest": "d.email_digest",
            "phone_digest": "d.phone_digest",
            "preferred_language": "coalesce(d.preferred_language, %(default_language)s)",
            "source": f"'{Source.IMPORT}'",
            "source_detail": "left(%(source_detail)s || coalesce(': ' || nullif(d.source, ''), ''),"
            " 500)",
            "state": f"'{SubjectState.ACTIVE}'",
            "created_at": "%(now)s",
            "updated_at": "%(now)s",
        }
        consent = {
            "id": "d.new_consent_id",
            "subject_id": "coalesce(d.subject_id, d.new_subject_id)",
            "purpose_id": "%(purpose)s",
            "given_at": "coalesce(d.given_at, %(now)s)",
            "method": "'import'",
            "evidence": "d.evidence",
            "evidence_payload": "d.payload",
            "policy_version_id": "d.policy_version_id",
            "data_categories": "%(categories)s",
            "state": f"'{ConsentState.GIVEN}'",
            "created_at": "%(now)s",
        }
        # One statement per chunk: plan, write, remember the people; its result is the plan's
        # outcomes. No ON CONFLICT: if someone wrote one of these people since the plan was
        # made, a unique constraint refuses the row and the import stops (ImportConflict), as
        # skipping it would have to; and the speculative insertion ON CONFLICT needs costs
        # ~15% of these inserts. "= ANY (ARRAY(...))": subjects are reached through their
        # primary key, whatever the planner believes of the size of the tables.
        return f"""WITH {plan},
            {self._inserts(Subject, subject, "d.outcome = 'created'")},
            {self._inserts(Consent, consent, "d.new_consent_id IS NOT NULL")},
            filled AS (
                UPDATE subjects_subject s SET {sql.fill_assignments("s", "p")}, updated_at = %(now)s
                FROM plan p WHERE p.subject_id = s.id AND p.outcome = 'updated' AND p.fills
                  AND s.id = ANY (ARRAY(SELECT subject_id FROM plan
                                        WHERE outcome = 'updated' AND fills))
                RETURNING s.*
            ), filled_history AS (
                {sql.history_insert(Subject, source="filled", history_type="~")}
            ),
            -- A person met in an earlier chunk: fill what is still empty (never with a
            -- suppressed phone); someone left unchanged so far is now updated.
            completed AS (
                UPDATE subjects_subject s
                SET {sql.fill_assignments("s", "p", phone_allowed="p.phone_allowed")},
                    updated_at = %(now)s
                FROM plan p
                WHERE p.outcome = 'duplicate' AND p.seen_outcome <> 'suppressed'
                  AND s.id = p.seen_subject_id
                  AND s.id = ANY (ARRAY(SELECT seen_subject_id FROM plan
                                        WHERE outcome = 'duplicate'))
                  AND ({sql.fills("s", "p", phone_allowed="p.phone_allowed")})
                RETURNING s.*
            ), completed_history AS (
                {sql.history_insert(Subject, source="completed", history_type="~")}
            ), completed_people AS (
                UPDATE imports_people SET outcome = 'updated'
                WHERE email = ANY (ARRAY(SELECT lower(email) FROM completed))
                  AND outcome = 'unchanged'
            )
            SELECT outcome, count(*) FROM plan GROUP BY outcome"""

    def _unsubscribe_statement(self, plan: str) -> str:
        given = {
            "kind": "w.kind",
            "digest": "w.digest",
            "reason": "%(suppression_reason)s",
            "created_at": "%(now)s",
        }
        names, values = sql.insert_columns(SuppressionEntry, given, self.params)
        return f"""WITH {plan},
            -- Every address and phone of a person who left, their later rows' too.
            leaving AS (
                SELECT email FROM plan WHERE outcome = 'suppressed'
                UNION SELECT email FROM imports_people WHERE outcome = 'suppressed'
            ), staged AS (
                SELECT email, email_digest, phone_digest FROM imports_chunk
                UNION ALL SELECT email, email_digest, phone_digest FROM imports_extra
            ), wanted AS (
                SELECT 'email' AS kind, st.email_digest AS digest
                FROM staged st JOIN leaving USING (email)
                UNION SELECT 'phone', st.phone_digest FROM staged st JOIN leaving USING (email)
                WHERE st.phone_digest IS NOT NULL
            ), added AS (
                INSERT INTO consents_suppressionentry ({names}) SELECT {values} FROM wanted w
                ON CONFLICT (kind, digest) DO NOTHING RETURNING *
            ), added_history AS (
                {sql.history_insert(SuppressionEntry, source="added", history_type="+")}
            ), withdrawn AS (
                UPDATE consents_consent c SET state = '{ConsentState.WITHDRAWN}',
                    withdrawn_at = greatest(coalesce(p.event_at, %(now)s), c.given_at),
                    withdrawal_channel = %(channel)s
                FROM plan p
                WHERE p.outcome = 'suppressed' AND c.subject_id = p.subject_id
                  AND c.subject_id = ANY (ARRAY(SELECT subject_id FROM plan
                                                WHERE outcome = 'suppressed'))
                  AND c.purpose_id + 0 = %(purpose)s AND c.state = '{ConsentState.GIVEN}'
                RETURNING c.*
            ), withdrawn_history AS (
                {sql.history_insert(Consent, source="withdrawn", history_type="~")}
            )
            SELECT outcome, count(*) FROM plan GROUP BY outcome
            UNION ALL SELECT '{ENTRIES}', count(*) FROM added
            UNION ALL SELECT '{WITHDRAWN}', count(*) FROM withdrawn"""


Writer = PostgresWriter

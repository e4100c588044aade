# ruff: noqa: S608 - statements are built from model metadata and constants only; every
# value travels as a query parameter or through COPY.
"""A large, realistic, made-up register for benchmarks and for trying the admin at size.

Everything is written by the server in a few set-based statements (`INSERT ... SELECT` over
`generate_series`, the suppression digests through COPY), never row by row through the ORM:
1,000,000 subjects with their consents, history rows and requests take minutes, not hours.
Columns a statement does not name get the model field's default, read from the model, so a new
field with a default needs no change here.

Names are Kazakh and Russian (Cyrillic, with the Kazakh letters), e-mails are their Latin
transliteration with a running number (unique), phones are Kazakh mobile numbers in E.164.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone

from common.hashing import keyed_digest
from consents.models import Consent, Purpose, SuppressionEntry
from requests.models import SubjectRequest
from subjects.contact_digests import contact_digests_fill
from subjects.models import Subject, SubjectSearch
from subjects.search import search_defer, subject_search_fill

# (Cyrillic, Latin) pairs. Kazakh and Russian given names and surnames, both genders.
KAZAKH_MEN = [
    ("Әлихан", "alikhan"), ("Нұрлан", "nurlan"), ("Серік", "serik"), ("Қайрат", "kairat"),
    ("Ерлан", "erlan"), ("Дәурен", "dauren"), ("Бауыржан", "bauyrzhan"), ("Ғалым", "galym"),
    ("Асқар", "askar"), ("Тимур", "timur"), ("Жандос", "zhandos"), ("Мұрат", "murat"),
]  # fmt: skip
KAZAKH_WOMEN = [
    ("Әйгерім", "aigerim"), ("Гүлнар", "gulnar"), ("Айгүл", "aigul"), ("Жұлдыз", "zhuldyz"),
    ("Динара", "dinara"), ("Мөлдір", "moldir"), ("Ақбота", "akbota"), ("Сәуле", "saule"),
    ("Інжу", "inzhu"), ("Балжан", "balzhan"), ("Назерке", "nazerke"), ("Аружан", "aruzhan"),
]  # fmt: skip
KAZAKH_SURNAMES = [
    ("Қасымов", "kasymov"), ("Нұрланов", "nurlanov"), ("Сейітов", "seitov"),
    ("Әбенов", "abenov"), ("Жұмабаев", "zhumabaev"), ("Оразов", "orazov"),
    ("Төлеуов", "toleuov"), ("Бекмұхамбетов", "bekmukhambetov"), ("Ысқақов", "yskakov"),
    ("Құрманғалиев", "kurmangaliev"), ("Сәрсенбаев", "sarsenbaev"), ("Үсенов", "usenov"),
]  # fmt: skip
RUSSIAN_MEN = [
    ("Александр", "aleksandr"), ("Дмитрий", "dmitriy"), ("Сергей", "sergey"),
    ("Андрей", "andrey"), ("Алексей", "aleksey"), ("Иван", "ivan"), ("Максим", "maksim"),
    ("Николай", "nikolay"), ("Владимир", "vladimir"), ("Евгений", "evgeniy"),
]  # fmt: skip
RUSSIAN_WOMEN = [
    ("Елена", "elena"), ("Ольга", "olga"), ("Наталья", "natalya"), ("Татьяна", "tatyana"),
    ("Ирина", "irina"), ("Анна", "anna"), ("Мария", "mariya"), ("Светлана", "svetlana"),
    ("Юлия", "yuliya"), ("Екатерина", "ekaterina"),
]  # fmt: skip
RUSSIAN_SURNAMES = [
    ("Иванов", "ivanov"), ("Смирнов", "smirnov"), ("Кузнецов", "kuznetsov"),
    ("Попов", "popov"), ("Васильев", "vasilev"), ("Петров", "petrov"), ("Соколов", "sokolov"),
    ("Михайлов", "mikhailov"), ("Новиков", "novikov"), ("Фёдоров", "fedorov"),
]  # fmt: skip
KAZAKH_FATHERS = ["Серік", "Нұрлан", "Қайрат", "Ерлан", "Бауыржан", "Асқар", "Мұрат", "Болат"]
RUSSIAN_PATRONYMICS_MEN = ["Александрович", "Сергеевич", "Иванович", "Николаевич", "Петрович"]
RUSSIAN_PATRONYMICS_WOMEN = ["Александровна", "Сергеевна", "Ивановна", "Николаевна", "Петровна"]
DOMAINS = ["mail.ru", "gmail.com", "inbox.kz", "yandex.kz", "mail.kz", "bk.ru", "list.ru"]
# Kazakh mobile prefixes after +7.
MOBILE_PREFIXES = ["700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777"]
CITIES = ["Алматы", "Астана", "Шымкент", "Қарағанды", "Ақтөбе", "Павлодар", "Өскемен", "Атырау"]
SOURCES = ["registration_form", "subscription_form", "purchase", "import", "tilda_form"]

# Share of subjects holding a consent for each purpose, and of those consents withdrawn.
PURPOSE_SHARE = {
    "newsletter": 0.6, "direct_marketing": 0.25, "contracts": 0.3, "feedback": 0.2,
    "ad_analytics": 0.15, "product_research": 0.05, "legal_obligation": 0.1,
}  # fmt: skip
WITHDRAWN_SHARE = 0.05
REQUEST_SHARE = 0.01
# Suppressed addresses of people no longer in the register, per subject (the register's own
# withdrawn marketing consents add theirs).
FOREIGN_SUPPRESSION_SHARE = 0.02
REASON = "Generated benchmark data set"


class DatasetRefused(Exception):
    """The database is not one a made-up data set may be written into."""


@dataclass
class Built:
    subjects: int
    consents: int
    requests: int
    suppression_entries: int
    history_rows: int


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _insert(
    model: type[models.Model],
    expressions: dict[str, str],
    source: str,
    params: dict[str, Any],
) -> int:
    """INSERT INTO the model's table the rows of `source` (SQL after SELECT ... FROM): columns in
    `expressions` from their SQL, every other column from the field's default."""
    columns, values, defaults = [], [], dict(params)
    for field in model._meta.concrete_fields:
        column = str(field.column)  # a concrete field always has its column
        if column in expressions:
            columns.append(connection.ops.quote_name(column))
            values.append(expressions[column])
        elif not field.primary_key:
            columns.append(connection.ops.quote_name(column))
            values.append(f"%({column})s")
            default = None if field.null and not field.has_default() else field.get_default()
            defaults[column] = field.get_db_prep_save(default, connection)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, defaults)
        return cursor.rowcount


def _insert_history(
    model: type[models.Model], *, where: str, actor: User, history_type: str = "+"
) -> int:
    """One creation row ('+') in the model's history for each row matching `where`."""
    history = model.history.model  # type: ignore[attr-defined]
    own = {field.column for field in model._meta.concrete_fields}
    expressions = {
        field.column: f"t.{connection.ops.quote_name(field.column)}"
        for field in history._meta.concrete_fields
        if field.column in own
    }
    date = "t.created_at" if "created_at" in own else "now()"
    expressions |= {
        "history_date": date,
        "history_type": f"'{history_type}'",
        "history_change_reason": f"'{REASON}'",
        "history_user_id": str(int(actor.pk)),
    }
    return _insert(
        history,
        expressions,
        f"{connection.ops.quote_name(model._meta.db_table)} t WHERE {where}",
        {},
    )


def _generator_user() -> User:
    user, _created = User.objects.get_or_create(
        username="dataset-generator", defaults={"is_active": False}
    )
    return user


def dataset_build(*, subjects: int, progress: Callable[[str], None] = lambda _m: None) -> Built:
    """Fill an EMPTY register with `subjects` made-up people: refuses a database that holds
    subjects, consents or requests, and any database but PostgreSQL."""
    if connection.vendor != "postgresql":
        raise DatasetRefused("The data set is generated on PostgreSQL only.")
    if (
        Subject.objects.exists()
        or Consent.objects.exists()
        or SubjectRequest.objects.exists()
        or SuppressionEntry.objects.exists()
    ):
        raise DatasetRefused(
            "The register is not empty: the data set is generated only into an empty one."
        )
    actor = _generator_user()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")
        # Their search rows in one statement afterwards, not one trigger call per subject.
        search_defer()
        built_subjects = _subjects(subjects)
        search_defer(False)
        subject_search_fill()
        # The digests beside e-mails and phones: hashed in Python, the key never sent.
        contact_digests_fill(connection, table=Subject._meta.db_table)
        progress(f"{built_subjects} subjects")
        history = _insert_history(Subject, where="TRUE", actor=actor)
        consents = _consents(progress)
        history += _insert_history(Consent, where="TRUE", actor=actor)
        progress(f"{consents} consents")
        requests = _requests(actor)
        history += _insert_history(SubjectRequest, where="TRUE", actor=actor)
        progress(f"{requests} requests")
        entries = _suppression(subjects)
        progress(f"{entries} suppression entries")
    with connection.cursor() as cursor:
        # What VACUUM would do after a bulk load: move the rows waiting in the GIN indexes'
        # pending lists into the indexes, which the planner otherwise prices as slow.
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE a.amname = 'gin' AND i.indrelid = %s::regclass",
            [SubjectSearch._meta.db_table],
        )
        cursor.execute(f"ANALYZE {connection.ops.quote_name(SubjectSearch._meta.db_table)}")
        for model in (Subject, Consent, SubjectRequest, SuppressionEntry):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            history_table = model.history.model._meta.db_table
            cursor.execute(f"ANALYZE {connection.ops.quote_name(history_table)}")
    return Built(built_subjects, consents, requests, entries, history)


def _names_cte() -> tuple[str, dict[str, str]]:
    """Each generated person: Kazakh (60%) or Russian, a woman or a man; names picked at random."""

    def pair(rows: list[tuple[str, str]]) -> tuple[str, str, int]:
        return _sql_array([c for c, _l in rows]), _sql_array([lat for _c, lat in rows]), len(rows)

    kaz_m, kaz_w, kaz_s = pair(KAZAKH_MEN), pair(KAZAKH_WOMEN), pair(KAZAKH_SURNAMES)
    rus_m, rus_w, rus_s = pair(RUSSIAN_MEN), pair(RUSSIAN_WOMEN), pair(RUSSIAN_SURNAMES)
    fathers = _sql_array(KAZAKH_FATHERS)
    pat_m, pat_w = _sql_array(RUSSIAN_PATRONYMICS_MEN), _sql_array(RUSSIAN_PATRONYMICS_WOMEN)
    return (
        """
        SELECT i, kazakh, woman,
               floor(random() * 1000000)::int AS r1, floor(random() * 1000000)::int AS r2,
               floor(random() * 1000000)::int AS r3, random() AS r4
        FROM (SELECT i, random() < 0.6 AS kazakh, random() < 0.5 AS woman
              FROM generate_series(1, %(count)s) AS i) g
    """,
        {
            "first": f"""CASE WHEN kazakh AND woman THEN ({kaz_w[0]})[1 + r1 %% {kaz_w[2]}]
                          WHEN kazakh THEN ({kaz_m[0]})[1 + r1 %% {kaz_m[2]}]
                          WHEN woman THEN ({rus_w[0]})[1 + r1 %% {rus_w[2]}]
                          ELSE ({rus_m[0]})[1 + r1 %% {rus_m[2]}] END""",
            "first_latin": f"""CASE WHEN kazakh AND woman THEN ({kaz_w[1]})[1 + r1 %% {kaz_w[2]}]
                          WHEN kazakh THEN ({kaz_m[1]})[1 + r1 %% {kaz_m[2]}]
                          WHEN woman THEN ({rus_w[1]})[1 + r1 %% {rus_w[2]}]
                          ELSE ({rus_m[1]})[1 + r1 %% {rus_m[2]}] END""",
            "last": f"""CASE WHEN kazakh THEN ({kaz_s[0]})[1 + r2 %% {kaz_s[2]}]
                         ELSE ({rus_s[0]})[1 + r2 %% {rus_s[2]}] END
                    || CASE WHEN woman THEN 'а' ELSE '' END""",
            "last_latin": f"""CASE WHEN kazakh THEN ({kaz_s[1]})[1 + r2 %% {kaz_s[2]}]
                               ELSE ({rus_s[1]})[1 + r2 %% {rus_s[2]}] END
                          || CASE WHEN woman THEN 'a' ELSE '' END""",
            "patronymic": f"""CASE WHEN kazakh THEN ({fathers})[1 + r3 %% {len(KAZAKH_FATHERS)}]
                               || CASE WHEN woman THEN 'қызы' ELSE 'ұлы' END
                          WHEN woman THEN ({pat_w})[1 + r3 %% {len(RUSSIAN_PATRONYMICS_WOMEN)}]
                          ELSE ({pat_m})[1 + r3 %% {len(RUSSIAN_PATRONYMICS_MEN)}] END""",
        },
    )


def _subjects(count: int) -> int:
    source, names = _names_cte()
    domains, prefixes = _sql_array(DOMAINS), _sql_array(MOBILE_PREFIXES)
    cities, sources = _sql_array(CITIES), _sql_array(SOURCES)
    expressions = {
        "last_name": names["last"],
        "first_name": names["first"],
        "patronymic": names["patronymic"],
        # The running number keeps every address unique (the case-insensitive constraint).
        "email": f"{names['first_latin']} || '.' || {names['last_latin']} || i || '@' || "
        f"({domains})[1 + r3 %% {len(DOMAINS)}]",
        # Nine of ten have a phone; the 7 digits are a bijection of i, so numbers are unique.
        "phone": f"CASE WHEN r4 < 0.9 THEN '+7' || ({prefixes})[1 + i %% {len(MOBILE_PREFIXES)}]"
        " || lpad(((i::bigint * 7919) %% 10000000)::text, 7, '0') ELSE '' END",
        "city": f"({cities})[1 + r2 %% {len(CITIES)}]",
        "country": "'KZ'",
        "preferred_language": "CASE WHEN kazakh THEN 'kk' ELSE 'ru' END",
        "source": f"({sources})[1 + r1 %% {len(SOURCES)}]",
        "source_detail": "'generated'",
        "state": "'active'",
        # Spread over five years, in the order of the ids (as a register grows).
        "created_at": "now() - ((%(count)s - i)::float / %(count)s) * interval '5 years'",
        "updated_at": "now()",
    }
    return _insert(Subject, expressions, f"({source}) people", {"count": count})


def _consents(progress: Callable[[str], None]) -> int:
    total = 0
    for purpose in Purpose.objects.filter(code__in=PURPOSE_SHARE):
        share = PURPOSE_SHARE[purpose.code]
        categories = Consent._meta.get_field("data_categories").get_db_prep_save(
            list(purpose.data_categories), connection
        )
        withdrawn = f"(s.id * 31 + {purpose.pk}) %% 1000 < {int(WITHDRAWN_SHARE * 1000)}"
        expressions = {
            "subject_id": "s.id",
            "purpose_id": str(int(purpose.pk)),
            "given_at": "s.created_at",
            "method": "'site_checkbox'",
            "evidence": "'generated: form ' || s.id",
            "data_categories": "%(categories)s",
            "state": f"CASE WHEN {withdrawn} THEN 'withdrawn' ELSE 'given' END",
            "withdrawn_at": f"CASE WHEN {withdrawn} THEN s.created_at + interval '30 days' END",
            "withdrawal_channel": f"CASE WHEN {withdrawn} THEN 'unsubscribe_link' ELSE '' END",
            "created_at": "s.created_at",
        }
        # Not random(): the same person keeps the same consents whatever the size.
        total += _insert(
            Consent,
            expressions,
            "subjects_subject s "
            f"WHERE (s.id * 7 + {purpose.pk} * 13) %% 1000 < {int(share * 1000)}",
            {"categories": categories},
        )
        progress(f"  {purpose.code}: {total} consents so far")
    return total


def _requests(actor: User) -> int:
    expressions = {
        "kind": "(ARRAY['access','withdrawal','erasure','rectification','unsubscribe'])"
        "[1 + s.id %% 5]",
        "channel": "(ARRAY['email','letter','web'])[1 + s.id %% 3]",
        "received_at": "s.created_at + interval '60 days'",
        "language": "s.preferred_language",
        "requester_last_name": "s.last_name",
        "requester_first_name": "s.first_name",
        "requester_patronymic": "s.patronymic",
        "reply_email": "s.email",
        "content": "'Прошу предоставить сведения о моих персональных данных.'",
        "subject_id": "s.id",
        # Most are answered; the recent ones are still open.
        "status": "CASE WHEN s.id %% 10 = 0 THEN 'in_progress' ELSE 'completed' END",
        "answered_at": "CASE WHEN s.id %% 10 = 0 THEN NULL "
        "ELSE s.created_at + interval '65 days' END",
        "answered_via": "CASE WHEN s.id %% 10 = 0 THEN '' ELSE 'email' END",
        "assignee_id": str(int(actor.pk)),
        "deadline_days": "10",
        "deadline_unit": "'working_days'",
        "due_date": "(s.created_at + interval '74 days')::date",
        "created_at": "s.created_at + interval '60 days'",
        "updated_at": "now()",
    }
    return _insert(
        SubjectRequest,
        expressions,
        f"subjects_subject s WHERE s.id %% {round(1 / REQUEST_SHARE)} = 3",
        {},
    )


def _suppression(subjects: int) -> int:
    """Digests of the e-mails whose marketing consent was withdrawn, and of addresses of
    people no longer in the register; through COPY (the key stays in Python)."""
    key = settings.SUPPRESSION_HASH_KEY
    buffer = io.StringIO()
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT lower(s.email) FROM subjects_subject s "
            "JOIN consents_consent c ON c.subject_id = s.id "
            "JOIN consents_purpose p ON p.id = c.purpose_id "
            "WHERE c.state = 'withdrawn' AND p.is_marketing AND s.email IS NOT NULL"
        )
        emails = [row[0] for row in cursor.fetchall()]
        emails += [
            f"departed.{n}@{DOMAINS[n % len(DOMAINS)]}"
            for n in range(int(subjects * FOREIGN_SUPPRESSION_SHARE))
        ]
        now = timezone.now().isoformat()
        for email in emails:
            digest = keyed_digest(f"email:{email}", key=key)
            buffer.write(f"email\t{digest}\tunsubscribed\t{now}\n")
            written += 1
        buffer.seek(0)
        table = connection.ops.quote_name(SuppressionEntry._meta.db_table)
        with cursor.cursor.copy(  # psycopg 3
            f"COPY {table} (kind, digest, reason, created_at) FROM STDIN"
        ) as copy:
            copy.write(buffer.getvalue())
    return written

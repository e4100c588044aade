"""What an old list says of each person's consent, and what a refusal means: the one place.

Every column that carries a subscription status decides (the list's own consent column,
Mailchimp's file name and its UNSUB_TIME / CLEAN_TIME, UniSender's email_status and
email_availability, Brevo's blacklist and double-opt-in columns, SendPulse's status, a Google
Forms consent question). For each row:

- any value this module does not know rejects the row, naming the value and the column: a
  consent is never guessed;
- a refusal (unsubscribed, complained, marked as spam, blacklisted) makes the row a refusal:
  the person's address and phone go on the suppression list and their live consent for the
  purpose, given before they left, is withdrawn; never a consent;
- any other "no" (bounced / cleaned, unconfirmed, blocked by the service, said no) rejects the
  row with its reason: nothing is written for it, and nobody is put on the suppression list for
  what they did not ask;
- only when every such column agrees, and at least one of those that can say yes says it (or
  the list has none: a plain list of subscribers), does the row give a consent.

Both writers take what suppression means from here as well: who is kept out of a subscribing
import (`keeps_out`) and which consent a refusal leaves alone (`refusal_spares`), each as a
Python function (the ORM writer) and as the same rule in SQL (the PostgreSQL writer).
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consents.models import SuppressionReason, WithdrawalChannel


class Verdict(IntEnum):
    """What one column says of a row; the strongest of a row's verdicts decides it."""

    NEUTRAL = 0  # nothing against (an empty UNSUB_TIME, "not blacklisted")
    CONSENT = 1
    REJECT = 2  # not a consent, not a refusal: the row is reported and nothing is written
    REFUSAL = 3  # the person said no to being mailed: suppression list, withdrawal
    UNKNOWN = 4  # a value nobody taught us: rejected, naming the value and the column


# A refusal's entry on the suppression list, and how its withdrawn consents were withdrawn.
REFUSAL_SUPPRESSION_REASON = SuppressionReason.UNSUBSCRIBED
REFUSAL_WITHDRAWAL_CHANNEL = WithdrawalChannel.UNSUBSCRIBE_LINK
# What goes on the suppression list for a person who refused: their address and every phone
# their rows give.
SUPPRESSED_KINDS = ("email", "phone")


def keeps_out(*, email_listed: bool, phone_listed: bool, live: bool, withdrawn: bool) -> bool:
    """Whether a subscribing row is kept out ("suppressed"): the address or the phone is on
    the suppression list, or the person withdrew this purpose and has not consented since."""
    return email_listed or phone_listed or (withdrawn and not live)


def keeps_out_sql(*, email_listed: str, phone_listed: str, live: str, withdrawn: str) -> str:
    """`keeps_out` as an SQL condition over the given expressions."""
    return f"({email_listed}) OR ({phone_listed}) OR (({withdrawn}) AND NOT ({live}))"


def refusal_spares(*, live_given_at: datetime | None, refused_at: datetime | None) -> bool:
    """Whether a refusal in an old list leaves the person's live consent alone: it was given
    after they left (a new sign-up), which the old list cannot undo."""
    return live_given_at is not None and refused_at is not None and live_given_at > refused_at


def refusal_spares_sql(*, live_given_at: str, refused_at: str) -> str:
    """`refusal_spares` as an SQL condition (NULL-safe: false when either is unknown)."""
    return (
        f"coalesce(({live_given_at}) IS NOT NULL AND ({refused_at}) IS NOT NULL "
        f"AND ({live_given_at}) > ({refused_at}), false)"
    )


def _key(text: str) -> str:
    """'Не подтверждён' -> 'не подтвержден', 'activation_requested' -> 'activation requested'."""
    text = text.strip().casefold().replace("ё", "е")
    return re.sub(r"[\s_\-.,:;!()«»\"'’]+", " ", text).strip()


@dataclass(frozen=True)
class Said:
    verdict: Verdict
    reason: object = None  # a lazy message for REJECT and REFUSAL


_BOUNCED = gettext_lazy(
    "The address bounced (the service cleaned it): no consent is recorded for it."
)
_UNCONFIRMED = gettext_lazy(
    "The person never confirmed the subscription (double opt-in): no consent is recorded."
)
_BLOCKED = gettext_lazy("The mailing service blocked this contact: no consent is recorded.")
_INACTIVE = gettext_lazy("The contact is switched off in the mailing service: no consent.")
_REFUSED = gettext_lazy("The person unsubscribed: added to the suppression list.")
_COMPLAINED = gettext_lazy("The person complained of spam: added to the suppression list.")
_BLACKLISTED = gettext_lazy("The contact is blacklisted: added to the suppression list.")
_SAID_NO = gettext_lazy("The list says this person did not consent (“{value}”).")
_EMPTY = gettext_lazy("The consent cell is empty: no consent is recorded.")

YES = Said(Verdict.CONSENT)
NEUTRAL = Said(Verdict.NEUTRAL)


def _words(said: Said, *words: str) -> dict[str, Said]:
    return {_key(word): said for word in words}


# Subscription statuses as UniSender, SendPulse, Mailchimp and people write them (en/ru/kk).
STATUS_WORDS: dict[str, Said] = {
    **_words(YES, "subscribed", "active", "confirmed", "opted in", "opt in", "активен",
             "активный", "активна", "подписан", "подписана", "подписчик", "подтвержден",
             "подтверждена", "белсенді", "жазылған", "расталған"),
    **_words(Said(Verdict.REFUSAL, _REFUSED), "unsubscribed", "unsubscribe", "opted out",
             "opt out", "отписан", "отписана", "отписался", "отписалась", "отписка",
             "отказался", "отказалась", "жазылымнан бас тартты", "бас тартты"),
    **_words(Said(Verdict.REFUSAL, _COMPLAINED), "complained", "complaint", "spam",
             "spam complaint", "abuse", "marked as spam", "spam folder", "жалоба",
             "жалоба на спам", "спам", "шағым"),
    **_words(Said(Verdict.REJECT, _BOUNCED), "cleaned", "bounced", "hard bounce",
             "soft bounce", "unreachable", "temp unreachable", "mailbox full",
             "spam rejected", "invalid", "недоступен", "не доставлено", "недоставлено",
             "невалидный", "ошибка доставки", "жеткізілмеді"),
    **_words(Said(Verdict.REJECT, _UNCONFIRMED), "unconfirmed", "pending", "new", "invited",
             "activation requested", "не подтвержден", "не подтверждена",
             "ожидает подтверждения", "новый", "новая", "приглашен", "приглашена",
             "запрошена активация", "расталмаған"),
    **_words(Said(Verdict.REJECT, _BLOCKED), "blocked", "banned", "заблокирован",
             "заблокирована", "бұғатталған"),
    **_words(Said(Verdict.REJECT, _INACTIVE), "inactive", "disabled", "excluded", "deleted",
             "неактивен", "неактивный", "отключен", "отключена", "исключен", "удален"),
}  # fmt: skip
# UniSender's email_availability: whether mail reaches the box, not whether it is wanted.
AVAILABILITY_WORDS: dict[str, Said] = {
    **_words(NEUTRAL, "available", "доступен"),
    **{word: said for word, said in STATUS_WORDS.items() if said.verdict != Verdict.CONSENT},
}
_BLACKLIST_YES = ("yes", "true", "1", "да", "иә", "blacklisted", "в черном списке")
_BLACKLIST_NO = ("no", "false", "0", "нет", "жоқ", "")
BLACKLIST_WORDS: dict[str, Said] = {
    **_words(Said(Verdict.REFUSAL, _BLACKLISTED), *_BLACKLIST_YES),
    **_words(NEUTRAL, *_BLACKLIST_NO),
}
# Brevo's DOUBLE_OPT-IN is a category attribute: 1 = Yes, 2 = No.
DOUBLE_OPTIN_WORDS: dict[str, Said] = {
    **_words(YES, "yes", "true", "1", "да", "иә", "confirmed", "подтвержден"),
    **_words(Said(Verdict.REJECT, _UNCONFIRMED), "no", "false", "2", "нет", "жоқ",
             "pending", "unconfirmed", "не подтвержден"),
    **_words(NEUTRAL, ""),
}  # fmt: skip

# Consent answers as people write them; Google Forms writes the whole option's text.
_YES_WORDS = (
    "да", "д", "yes", "y", "иә", "ия", "иа", "true", "1", "+", "x", "х", "✓", "ok",
    "согласен", "согласна", "согласен(на)", "согласна(сен)", "согласен а", "согласны",
    "даю согласие", "я согласен", "я согласна", "я согласен(на)", "да, согласен",
    "да, согласна", "да, я согласен", "да, я согласна", "келісемін", "иә, келісемін",
    "келісім беремін", "мен келісемін", "i agree", "agree", "i consent", "yes, i agree",
    "subscribed", "on", "accepted", "checked",
)  # fmt: skip
CONSENT_YES = frozenset(_key(word) for word in _YES_WORDS)
_NO_WORDS = (
    "нет", "н", "no", "n", "жоқ", "жок", "false", "0", "-", "отказ", "не согласен",
    "не согласна", "не согласен(на)", "нет, не согласен", "келіспеймін", "жоқ, келіспеймін",
    "i do not agree", "i don't agree", "disagree", "unsubscribed", "off",
)  # fmt: skip
CONSENT_NO = frozenset(_key(word) for word in _NO_WORDS) - {""}
# A longer answer is a yes only when it says "agree" and nothing that says no: Google Forms'
# checkbox "Я согласен(на) на обработку персональных данных" is a yes; "Не согласен ..." not.
_AGREEING = re.compile(
    r"^(?:да |иә |yes |i )?(?:я |мен )?(?:даю согласие|согласен|согласна|согласны|"
    r"келісемін|келісім беремін|agree|consent|give my consent|hereby agree)\b"
)
_NEGATION = re.compile(r"\b(?:не|нет|no|not|don t|do not|жоқ|емес|келіспеймін|disagree)\b")


def consent_answer(raw: str) -> bool | None:
    """True for a yes, False for a no, None when the cell is empty; ValueError for anything
    else (the caller names the value and the column)."""
    text = _key(raw)
    if not text:
        return None
    if text in CONSENT_YES:
        return True
    if text in CONSENT_NO:
        return False
    if _AGREEING.match(text) and not _NEGATION.search(text):
        return True
    raise ValueError(raw)


@dataclass(frozen=True)
class StatusColumn:
    """A column whose cells decide; `can_consent`: a yes from it is a consent."""

    target: str
    can_consent: bool
    read: Callable[[str], Said | None]  # None: a value this column does not know


def _lookup(words: dict[str, Said]) -> Callable[[str], Said | None]:
    return lambda raw: words.get(_key(raw))


# The answers as most lists write them, only stripped and casefolded: looked up first, since
# this runs for every row of lists with a consent column.
_QUICK = {word.casefold(): YES for word in _YES_WORDS} | {
    word.casefold(): Said(Verdict.REJECT, _SAID_NO) for word in _NO_WORDS
}


def _consent_cell(raw: str) -> Said | None:
    quick = _QUICK.get(raw.strip().casefold())
    if quick is not None:
        return quick
    try:
        said = consent_answer(raw)
    except ValueError:
        return None
    if said is None:
        return Said(Verdict.REJECT, _EMPTY)
    if said:
        return YES
    return Said(Verdict.REJECT, _SAID_NO)


def _time_cell(verdict: Verdict, reason: object) -> Callable[[str], Said]:
    """Mailchimp's UNSUB_TIME / CLEAN_TIME: empty says nothing, a time says the person left."""
    return lambda raw: NEUTRAL if not raw.strip() else Said(verdict, reason)


STATUS_COLUMNS: dict[str, StatusColumn] = {
    column.target: column
    for column in (
        StatusColumn("consent", True, _consent_cell),
        StatusColumn("status", True, _lookup(STATUS_WORDS)),
        StatusColumn("phone_status", False, _lookup(AVAILABILITY_WORDS | STATUS_WORDS)),
        StatusColumn("availability", False, _lookup(AVAILABILITY_WORDS)),
        StatusColumn("email_blacklisted", False, _lookup(BLACKLIST_WORDS)),
        StatusColumn("sms_blacklisted", False, _lookup(BLACKLIST_WORDS)),
        StatusColumn("double_optin", True, _lookup(DOUBLE_OPTIN_WORDS)),
        StatusColumn("unsub_time", False, _time_cell(Verdict.REFUSAL, _REFUSED)),
        StatusColumn("clean_time", False, _time_cell(Verdict.REJECT, _BOUNCED)),
    )
}
# Mailchimp's status comes from the export's file name.
FILE_STATUS = {
    "subscribed": YES,
    "unsubscribed": Said(Verdict.REFUSAL, _REFUSED),
    "cleaned": Said(Verdict.REJECT, _BOUNCED),
}


@dataclass(frozen=True)
class RowStatus:
    verdict: Verdict  # CONSENT, REFUSAL or REJECT
    reason: str = ""


def _unknown(value: str, column: str) -> str:
    return _(
        "The column “%(column)s” says “%(value)s”, which does not say whether this person "
        "consented: no consent is recorded. Correct the value (or ask us to teach it)."
    ) % {"column": column, "value": value.strip()}


def status_decider(
    columns: dict[str, tuple[int, str]], *, file_status: str | None
) -> Callable[[list[str]], RowStatus]:
    """The function that judges one row: `columns` maps a status target to (its index, its
    header as written); `file_status` is Mailchimp's status from the file name."""
    present = [
        (column, index, header)
        for target, (index, header) in columns.items()
        if (column := status_column(target)) is not None
    ]
    file_said = FILE_STATUS[file_status] if file_status else None
    can_consent = file_said is not None or any(column.can_consent for column, _i, _h in present)
    if not present and file_said is None:
        return lambda cells: RowStatus(Verdict.CONSENT)  # a plain list of subscribers
    if len(present) == 1 and file_said is None and present[0][0].target == "consent":
        # The common case (an Excel list with a consent column), kept quick.
        _column, index, header = present[0]
        return lambda cells: _one(_consent_cell(cells[index]), cells[index], header)

    def decide(cells: list[str]) -> RowStatus:
        worst = Verdict.NEUTRAL
        reasons: list[str] = []
        saids: list[tuple[Said | None, str, str]] = (
            [(file_said, "", "")] if file_said is not None else []
        )
        saids += [(column.read(cells[index]), cells[index], header) for column, index, header
                  in present]  # fmt: skip
        for said, value, header in saids:
            if said is None:
                said = Said(Verdict.UNKNOWN, _unknown(value, header))
            if said.verdict > worst:
                worst, reasons = said.verdict, []
            if said.verdict == worst and said.reason is not None:
                reason = str(said.reason).replace("{value}", value.strip())
                if reason not in reasons:
                    reasons.append(reason)
        if worst == Verdict.NEUTRAL:
            if can_consent:
                return RowStatus(
                    Verdict.REJECT,
                    _("No column of the list says this person consented: no consent is recorded."),
                )
            return RowStatus(Verdict.CONSENT)
        if worst == Verdict.UNKNOWN:
            worst = Verdict.REJECT
        return RowStatus(worst, " ".join(reasons))

    return decide


def _one(said: Said | None, value: str, header: str) -> RowStatus:
    if said is None:
        return RowStatus(Verdict.REJECT, _unknown(value, header))
    if said.verdict == Verdict.CONSENT:
        return RowStatus(Verdict.CONSENT)
    return RowStatus(said.verdict, str(said.reason).replace("{value}", value.strip()))


def status_column(target: str) -> StatusColumn | None:
    """The status column a mapped target is; Mailchimp's other UNSUB_* / CLEAN_* columns
    (UNSUB_REASON, UNSUB_CAMPAIGN_TITLE...) say what UNSUB_TIME / CLEAN_TIME say."""
    if target in STATUS_COLUMNS:
        return STATUS_COLUMNS[target]
    if target.startswith("unsub_"):
        return STATUS_COLUMNS["unsub_time"]
    if target.startswith("clean_"):
        return STATUS_COLUMNS["clean_time"]
    return None


def _can_refuse(column: StatusColumn) -> bool:
    if column.target in {"unsub_time"}:
        return True
    words = {
        "status": STATUS_WORDS,
        "phone_status": STATUS_WORDS,
        "availability": AVAILABILITY_WORDS,
        "email_blacklisted": BLACKLIST_WORDS,
        "sms_blacklisted": BLACKLIST_WORDS,
    }.get(column.target, {})
    return any(said.verdict == Verdict.REFUSAL for said in words.values())


def may_refuse(columns: Mapping[str, object], *, file_status: str | None) -> bool:
    """Whether rows of this list can be refusals (the import then runs its refusal pass)."""
    if file_status is not None and FILE_STATUS[file_status].verdict == Verdict.REFUSAL:
        return True
    return any(
        (column := status_column(target)) is not None and _can_refuse(column) for target in columns
    )


def may_consent(columns: Mapping[str, object], *, file_status: str | None) -> bool:
    """Whether rows of this list can give consents (the import then runs its consent pass)."""
    return file_status is None or FILE_STATUS[file_status].verdict == Verdict.CONSENT

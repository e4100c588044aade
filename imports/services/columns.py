"""Which column of an old list holds what: headers matched by name in Kazakh, Russian, English
and Mailchimp's own, and full names split into last name, first name and patronymic."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.services.reading import FileUnreadable

# Target -> header names, as `normalise_header` leaves them.
ALIASES: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "e mail", "email address", "e mail address", "mail", "электронная почта",
        "эл почта", "почта", "адрес электронной почты", "электронный адрес", "e mail адрес",
        "электрондық пошта", "электронды пошта", "эл пошта", "пошта",
        "электрондық пошта мекенжайы",
    ),
    "full_name_fio": ("фио", "ф и о", "фамилия имя отчество", "фамилия имя", "фамилия и имя"),
    "full_name": (
        "аты жөні", "толық аты жөні", "аты жоні", "аты жөніңіз", "ваши фио", "ваше фио", "name",
        "full name", "fullname", "contact name", "имя фамилия", "имя и фамилия", "полное имя",
    ),
    "first_name": (
        "first name", "firstname", "fname", "given name", "имя", "аты", "prenom", "ваше имя",
        "your name", "атыңыз",
    ),
    "last_name": (
        "last name", "lastname", "lname", "surname", "family name", "фамилия", "тегі", "nom",
        "ваша фамилия", "тегіңіз",
    ),
    "patronymic": ("patronymic", "middle name", "отчество", "әкесінің аты"),
    "phone": (
        "phone", "phone number", "telephone", "mobile", "mobile phone", "телефон", "тел",
        "номер телефона", "мобильный телефон", "моб телефон", "телефон нөмірі", "ұялы телефон",
        "sms", "ваш телефон", "your phone", "телефоныңыз",
    ),
    "city": ("city", "город", "қала", "населенный пункт", "елді мекен"),
    "country": ("country", "страна", "ел", "мемлекет"),
    "country_code": ("cc", "country code", "код страны"),
    "address": ("address", "адрес", "мекенжай", "мекен жай"),
    "organisation": (
        "organisation", "organization", "company", "организация", "компания", "ұйым",
    ),
    "position": ("position", "job title", "должность", "лауазымы", "лауазым"),
    "birth_date": (
        "birthday", "birth date", "date of birth", "дата рождения", "туған күні", "туған күн",
    ),
    "optin_time": (
        "optin time", "subscribed at", "signup date", "subscription date", "date subscribed",
        "дата подписки", "дата регистрации", "тіркелген күні", "тіркелу күні",
        "жазылған күні", "sent", "added time", "email add time", "date added", "дата добавления",
        "timestamp", "отметка времени", "уақыт белгісі", "дата согласия", "келісім берілген күні",
    ),
    "optin_ip": ("optin ip", "ip", "ip address", "ip адрес"),
    "confirm_time": ("confirm time", "email confirm time", "дата подтверждения"),
    "confirm_ip": ("confirm ip",),
    "unsub_time": ("unsub time", "unsubscribed at", "дата отписки"),
    "clean_time": ("clean time",),
    "consent": (
        "consent", "согласие", "согласие на рассылку", "согласие на обработку",
        "согласие на обработку персональных данных", "келісім", "келісім беру", "checkbox",
    ),
    # Columns that carry a subscription status (imports.services.statuses reads them).
    "status": (
        "status", "статус", "статус подписки", "subscription status", "email status",
        "member status", "статус email", "статус подписчика", "күйі", "жазылым күйі",
    ),
    "phone_status": ("phone status", "sms status", "статус телефона"),
    "availability": ("email availability", "доступность email", "доступность"),
    "email_blacklisted": (
        "email blacklisted", "blacklisted", "email blocklisted", "blocklisted",
        "в черном списке",
    ),
    "sms_blacklisted": ("sms blacklisted", "sms blocklisted"),
    "double_optin": ("double opt in", "double optin", "doi", "двойное подтверждение"),
    "source": ("source", "источник", "дереккөз", "көзі"),
    "comment": (
        "comment", "comments", "note", "notes", "комментарий", "примечание", "заметки",
        "түсініктеме", "ескертпе",
    ),
    "tags": ("tags", "теги", "тегтер"),
    "policy_version": ("policy version", "версия политики", "саясат нұсқасы"),
    "language": ("language", "язык", "тіл", "language preference", "предпочитаемый язык"),
}  # fmt: skip
# Columns that say where a row came from (a form, a submission, a list of the old service):
# not personal data, kept as they were in the consent's raw evidence.
EVIDENCE_COLUMNS = frozenset({
    "tranid", "formid", "formname", "form name", "form", "referer", "referrer", "page",
    "requestid", "email list ids", "list ids", "listids", "list", "lists", "список", "списки",
    "список рассылки", "адресная книга", "address book", "utm source", "utm medium",
    "utm campaign", "utm content", "utm term", "id", "contact id", "response id",
})  # fmt: skip
_BY_NAME = {name: target for target, names in ALIASES.items() for name in names}

# What each target is, in words, for the preview.
TARGET_LABELS = {
    "email": gettext_lazy("e-mail"),
    "full_name_fio": gettext_lazy("full name (last name first)"),
    "full_name": gettext_lazy("full name"),
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "patronymic": gettext_lazy("patronymic"),
    "phone": gettext_lazy("phone"),
    "city": gettext_lazy("city"),
    "country": gettext_lazy("country"),
    "country_code": gettext_lazy("country (code)"),
    "address": gettext_lazy("address"),
    "organisation": gettext_lazy("organisation"),
    "position": gettext_lazy("position"),
    "birth_date": gettext_lazy("date of birth"),
    "optin_time": gettext_lazy("when consent was given"),
    "optin_ip": gettext_lazy("IP address of the consent"),
    "confirm_time": gettext_lazy("when the subscription was confirmed"),
    "confirm_ip": gettext_lazy("IP address of the confirmation"),
    "unsub_time": gettext_lazy("when the person unsubscribed"),
    "clean_time": gettext_lazy("when the address bounced"),
    "consent": gettext_lazy("consent (yes / no)"),
    "status": gettext_lazy("subscription status"),
    "phone_status": gettext_lazy("phone subscription status"),
    "availability": gettext_lazy("whether mail reaches the address"),
    "email_blacklisted": gettext_lazy("e-mail blacklisted"),
    "sms_blacklisted": gettext_lazy("SMS blacklisted"),
    "double_optin": gettext_lazy("double opt-in confirmed"),
    "source": gettext_lazy("source"),
    "comment": gettext_lazy("comment"),
    "tags": gettext_lazy("tags"),
    "policy_version": gettext_lazy("privacy policy version"),
    "language": gettext_lazy("preferred language"),
}


def _label(target: str) -> object:
    if target in TARGET_LABELS:
        return TARGET_LABELS[target]
    if target.startswith("unsub_"):
        return TARGET_LABELS["unsub_time"]
    return TARGET_LABELS["clean_time"] if target.startswith("clean_") else target


# Headers Mailchimp writes that only it writes: an export is recognised by them.
MAILCHIMP_MARKERS = frozenset({"email address", "member rating", "leid", "euid", "optin time"})


def normalise_header(text: str) -> str:
    """'Келісім (иә/жоқ)' -> 'келісім', 'E-mail' -> 'e mail', 'OPTIN_TIME' -> 'optin time'."""
    text = text.replace("\ufeff", "").casefold().replace("ё", "е")
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    text = re.sub(r"[\s\-_./:*#№,;'\"]+", " ", text)
    return text.strip()


@dataclass(frozen=True)
class ColumnMap:
    """Target field -> column index, and the headers nothing reads (reported, not imported)."""

    index: dict[str, int]
    ignored: tuple[str, ...]
    headers: tuple[str, ...]
    evidence: tuple[int, ...] = ()  # columns kept as they are in the consent's raw evidence

    def mapped(self) -> list[tuple[str, str]]:
        """(header as written, target) in the file's column order (the JSON report's)."""
        by_index = {index: target for target, index in self.index.items()}
        return [(self.headers[i], by_index[i]) for i in sorted(by_index)]

    def mapped_labels(self) -> list[tuple[str, str]]:
        """(header as written, what it becomes in words), for the preview."""
        return [(header, str(_label(name))) for header, name in self.mapped()]


def map_columns(header: list[str]) -> ColumnMap:
    """Match each header to a target; two columns for one target make the file unreadable."""
    index: dict[str, int] = {}
    ignored = []
    evidence = []
    for position, raw in enumerate(header):
        name = normalise_header(raw)
        target = _BY_NAME.get(name) or _mailchimp_left(name) or _guess(name)
        if target is not None and target in index and _BY_NAME.get(name) is None:
            target = None  # a guess never competes with a column named outright
        if target is None:
            if name in EVIDENCE_COLUMNS:
                evidence.append(position)
            elif raw.strip():
                ignored.append(raw.strip())
            continue
        if target in index:
            raise FileUnreadable(
                _(
                    "Columns %(first)s and %(second)s (“%(name)s”, “%(other)s”) hold the same "
                    "thing: keep one of them."
                )
                % {
                    "first": index[target] + 1,
                    "second": position + 1,
                    "name": header[index[target]].strip(),
                    "other": raw.strip(),
                }
            )
        index[target] = position
    if "email" not in index:
        shown = ", ".join(f"“{name.strip()}”" for name in header[:20] if name.strip())
        raise FileUnreadable(
            _(
                "No column holds the e-mail address (the header has %(headers)s). Name it "
                "“Email”, “E-mail”, “Электронная почта” or “Электрондық пошта”."
            )
            % {"headers": shown or _("no names")}
        )
    return ColumnMap(
        index=index, ignored=tuple(ignored), headers=tuple(header), evidence=tuple(evidence)
    )


# Google Forms heads each column with the whole question ("Я даю согласие на обработку моих
# персональных данных", "Ваш адрес электронной почты"): such headers are recognised by their
# words, when no column is named outright.
_GUESSES = (
    ("consent", re.compile(r"соглас|келісім|келісемін|consent|\bagree")),
    ("email", re.compile(r"\be ?mail\b|электрон\w* (почт|пошт)|\bпочт[аы]\b")),
    ("phone", re.compile(r"телефон|\bphone\b")),
)
_NOT_A_QUESTION = re.compile(r"^(дата|date|время|time|когда|күні|уақыты)\b")


def _mailchimp_left(name: str) -> str | None:
    """Mailchimp's UNSUB_REASON, UNSUB_CAMPAIGN_TITLE, CLEAN_CAMPAIGN_ID...: each its own
    target ("unsub_reason"), read as a status column (imports.services.statuses)."""
    if name.startswith(("unsub ", "clean ")):
        return name.replace(" ", "_")
    return None


def _guess(name: str) -> str | None:
    if len(name.split()) < 3 or _NOT_A_QUESTION.match(name):
        return None
    for target, pattern in _GUESSES:
        if pattern.search(name):
            return target
    return None


def is_mailchimp_header(header: list[str]) -> bool:
    names = {normalise_header(name) for name in header}
    return "email address" in names and len(names & MAILCHIMP_MARKERS) >= 2


# Surname endings, strong and weak: "-ина" ends Ирина and Марина as well as Никитина.
_STRONG_SURNAME = (
    "ов", "ова", "ев", "ева", "ёв", "ёва", "ский", "ская", "цкий", "цкая", "енко", "ұлы", "улы",
    "қызы", "кызы", "ov", "ova", "ev", "eva", "sky", "skaya", "enko", "uly", "kyzy",
)  # fmt: skip
_WEAK_SURNAME = ("ин", "ина", "ын", "ына", "in", "ina")
_PATRONYMIC = ("вич", "вна", "ична", "ovich", "evich", "ovna", "evna")


def _surname_score(word: str) -> int:
    word = word.casefold()
    if word.endswith(_STRONG_SURNAME):
        return 2
    return 1 if word.endswith(_WEAK_SURNAME) else 0


def _is_patronymic(word: str) -> bool:
    return word.casefold().endswith(_PATRONYMIC)


def split_full_name(text: str, *, surname_first: bool) -> tuple[str, str, str]:
    """(last, first, patronymic) from one cell.

    Russian lists write ФИО surname first ("Петров Иван Сергеевич"); Kazakh and English lists
    mostly write the given name first ("Әлия Қасымова"). The surname's ending decides when it
    is clear; the header's convention when it is not ("Ким Елена" under ФИО).
    """
    words = text.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return ("", words[0], "") if not surname_first else (words[0], "", "")
    if len(words) >= 3 and _is_patronymic(words[-1]):  # Петров Иван Сергеевич
        return words[0], " ".join(words[1:-1]), words[-1]
    if len(words) == 3 and _is_patronymic(words[1]):  # Иван Сергеевич Петров
        return words[2], words[0], words[1]
    if len(words) == 2:
        first_score, second_score = _surname_score(words[0]), _surname_score(words[1])
        if first_score != second_score:
            surname_first = first_score > second_score
        return (words[0], words[1], "") if surname_first else (words[1], words[0], "")
    # Three or more words without a patronymic ending: keep the convention, join the rest.
    if surname_first:
        return words[0], words[1], " ".join(words[2:])
    return words[-1], " ".join(words[:-1]), ""

"""Which column of an old list holds what: headers matched by name in Kazakh, Russian, English
and Mailchimp's own, and full names split into last name, first name and patronymic."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

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
        "аты жөні", "толық аты жөні", "аты жоні", "name", "full name", "fullname",
        "contact name", "имя фамилия", "имя и фамилия", "полное имя",
    ),
    "first_name": ("first name", "firstname", "fname", "given name", "имя", "аты"),
    "last_name": ("last name", "lastname", "lname", "surname", "family name", "фамилия", "тегі"),
    "patronymic": ("patronymic", "middle name", "отчество", "әкесінің аты"),
    "phone": (
        "phone", "phone number", "telephone", "mobile", "mobile phone", "телефон", "тел",
        "номер телефона", "мобильный телефон", "моб телефон", "телефон нөмірі", "ұялы телефон",
    ),
    "city": ("city", "город", "қала", "населенный пункт", "елді мекен"),
    "country": ("country", "cc", "страна", "ел", "мемлекет"),
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
        "жазылған күні", "sent",
    ),
    "optin_ip": ("optin ip", "ip", "ip address", "ip адрес"),
    "confirm_time": ("confirm time",),
    "confirm_ip": ("confirm ip",),
    "unsub_time": ("unsub time",),
    "clean_time": ("clean time",),
    "consent": (
        "consent", "согласие", "согласие на рассылку", "согласие на обработку",
        "согласие на обработку персональных данных", "келісім", "келісім беру", "checkbox",
    ),
    "source": ("source", "источник", "дереккөз", "көзі"),
    "comment": (
        "comment", "comments", "note", "notes", "комментарий", "примечание", "заметки",
        "түсініктеме", "ескертпе",
    ),
    "tags": ("tags", "теги", "тегтер"),
    "policy_version": ("policy version", "версия политики", "саясат нұсқасы"),
    "language": ("language", "язык", "тіл"),
}  # fmt: skip
_BY_NAME = {name: target for target, names in ALIASES.items() for name in names}

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

    def mapped(self) -> list[tuple[str, str]]:
        """(header as written, target) in the file's column order, for the preview."""
        by_index = {index: target for target, index in self.index.items()}
        return [(self.headers[i], by_index[i]) for i in sorted(by_index)]


def map_columns(header: list[str]) -> ColumnMap:
    """Match each header to a target; two columns for one target make the file unreadable."""
    index: dict[str, int] = {}
    ignored = []
    for position, raw in enumerate(header):
        target = _BY_NAME.get(normalise_header(raw))
        if target is None:
            if raw.strip():
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
    return ColumnMap(index=index, ignored=tuple(ignored), headers=tuple(header))


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

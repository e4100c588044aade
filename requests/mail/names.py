"""Guessing the requester's last name, first name and patronymic from what a letter says.

Staff check the guess. Sources, most trusted first: a labelled line ("ФИО: ...", "Аты-жөні: ...",
"Full name: ..."), the signature under a closing phrase, the display name of the sender.
Kazakh and Russian letters often write "Last First Patronymic"; display names usually
"First Last". Patronymic endings (-ович, -овна, -ұлы, -қызы...) and surname endings (-ов, -ова,
-ева, -ин, -ская...) decide the order where they can.
"""

import re
from dataclasses import dataclass

_PATRONYMIC = re.compile(
    r"(ович|евич|ьич|ич|овна|евна|ична|инична|ұлы|улы|қызы|кызы)$", re.IGNORECASE
)
_SURNAME = re.compile(
    r"(ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|ский|ская|цкий|цкая|енко|ук|юк|швили|дзе|ян|ұлы|улы)$",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^\s*(?:ФИО|Ф\.\s?И\.\s?О\.|Аты[- ]жөні|Толық аты[- ]жөні|Тегі,? аты,? әкесінің аты|"
    r"Full name|Name)\s*[:：]\s*(?P<name>.+?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_CLOSINGS = re.compile(
    r"^\s*(?:с уважением|с наилучшими пожеланиями|спасибо|құрметпен|ізгі ниетпен|рақмет|рахмет|"
    r"regards|best regards|kind regards|best|sincerely|yours sincerely|thanks|thank you|cheers)"
    r"\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"^[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*\.?$")


@dataclass(frozen=True)
class Name:
    last: str = ""
    first: str = ""
    patronymic: str = ""

    @property
    def parts(self) -> int:
        return sum(1 for part in (self.last, self.first, self.patronymic) if part)


def _is_initial(token: str) -> bool:
    return bool(re.fullmatch(r"[^\W\d_]\.", token))


def split_name(text: str) -> Name:
    """Last, first and patronymic from a written full name; empty parts when it can't tell."""
    tokens = [t.strip(",;") for t in (text or "").split()]
    if not tokens or len(tokens) > 5 or not all(_WORD.match(t) for t in tokens):
        return Name()
    # A Kazakh patronymic may be written in two words: "Серік қызы".
    joined: list[str] = []
    for token in tokens:
        if joined and token.lower() in {"ұлы", "улы", "қызы", "кызы"}:
            joined[-1] = f"{joined[-1]} {token}"
        else:
            joined.append(token)
    names = [t for t in joined if not _is_initial(t)]
    if len(names) == 1:
        # "О. П. Смирнов": initials and a surname.
        return Name(last=names[0]) if len(joined) > 1 else Name()
    if len(names) == 3:
        patronymic_at = [i for i, t in enumerate(names) if _PATRONYMIC.search(t.split()[-1])]
        if patronymic_at == [1]:  # "Олег Петрович Смирнов"
            return Name(first=names[0], patronymic=names[1], last=names[2])
        return Name(last=names[0], first=names[1], patronymic=names[2])
    if len(names) == 2:
        first_is_surname = bool(_SURNAME.search(names[0]))
        second_is_surname = bool(_SURNAME.search(names[1]))
        if first_is_surname and not second_is_surname:
            return Name(last=names[0], first=names[1])
        return Name(first=names[0], last=names[1])
    return Name()


def _labelled(body: str) -> Name:
    for match in _LABEL.finditer(body or ""):
        name = split_name(match.group("name"))
        if name.parts:
            return name
    return Name()


def _signature(body: str) -> Name:
    lines = (body or "").splitlines()
    for index in range(len(lines) - 1, -1, -1):
        if _CLOSINGS.match(lines[index]):
            for following in lines[index + 1 : index + 3]:
                if following.strip():
                    return split_name(following.strip())
            break
    return Name()


def _merge(best: Name, other: Name) -> Name:
    """Fill the gaps of `best` from `other` when both name the same person (same last name)."""
    if not other.parts or (best.last and other.last and best.last.lower() != other.last.lower()):
        return best
    if best.first and other.first and best.first.lower() != other.first.lower():
        return best
    return Name(
        last=best.last or other.last,
        first=best.first or other.first,
        patronymic=best.patronymic or other.patronymic,
    )


def guess_name(*, display_name: str, body: str) -> Name:
    """The requester's name from the letter: labelled line, then signature, then display name."""
    candidates = [_labelled(body), _signature(body), split_name(display_name)]
    found = [c for c in candidates if c.parts]
    if not found:
        return Name()
    best = found[0]
    for other in found[1:]:
        best = _merge(best, other)
    return best

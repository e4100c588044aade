"""Letters forwarded inline: the separator line and header block common mail clients write.

Staff often forward a request from their own mailbox to the privacy mailbox; the requester is
then the original author named in the forwarded header block, not the colleague who forwarded
it. The separators and header labels below are the ones the clients write in English, Russian
and (where they are localised) Kazakh; `tests/requests/test_forwards.py` holds one real-shaped
example of each, with where its format is documented.
"""

import re
from dataclasses import dataclass
from email.utils import parseaddr

_PHRASES = (
    # Gmail, Mail.ru (en), Yahoo, Thunderbird, Outlook, Apple Mail
    r"forwarded message", r"original message", r"begin forwarded message:?",
    # Russian: Gmail, Yandex, Mail.ru, Thunderbird, Outlook, Apple Mail
    r"пересылаемое сообщение", r"пересланное сообщение", r"исходное сообщение",
    r"начало пересылаемого сообщения", r"начало переадресованного сообщения:?",
    r"переадресованное сообщение", r"перенаправленное сообщение",
    # Kazakh
    r"жіберілген хат", r"қайта жіберілген хат", r"бағытталған хат", r"бастапқы хат",
    r"алға жіберілген хат",
)  # fmt: skip
_SEPARATOR = re.compile(
    r"^[ \t>]*(?:[-=_*]{2,}[ \t]*)?(?:" + "|".join(_PHRASES) + r")[ \t]*(?:[-=_*]{2,})?[ \t]*$"
    # Outlook (classic and new) and Outlook on the web: a rule of underscores, then "From:".
    r"|^[ \t>]*_{10,}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FROM_LABELS = r"from|от|от кого|отправитель|кімнен|жіберуші|кімнен келді"
_SUBJECT_LABELS = r"subject|тема|тақырып|тақырыбы"
_HEADER = re.compile(
    r"^[ \t>*]*(?P<label>[^\W\d][\w ]{0,20}?)[ \t]*\**[ \t]*:[ \t]*\**[ \t]*(?P<value>.*)$"
)
# Yandex Mail: "19.03.2026, 10:00, "Иван Петров" <ivan@example.kz>:" (no "From:" label).
_YANDEX_LINE = re.compile(
    r"^[ \t>]*\d{1,2}\.\d{1,2}\.\d{2,4},?\s+\d{1,2}:\d{2},?\s+"
    r"(?P<value>.*<[^>]+@[^>]+>|\S+@\S+):\s*$"
)
_MAILTO = re.compile(r"\[?\s*mailto:\s*(?P<address>[^\]\s>]+)\s*\]?", re.IGNORECASE)


@dataclass(frozen=True)
class InlineForward:
    name: str
    address: str
    subject: str
    text: str


def _name_and_address(value: str) -> tuple[str, str]:
    value = value.strip().strip("*").strip()
    mailto = _MAILTO.search(value)
    if mailto:  # Outlook: "Иван Петров [mailto:ivan@example.kz]"
        return value[: mailto.start()].strip().strip('"'), mailto.group("address")
    name, address = parseaddr(value)
    if "@" not in address:
        return "", ""
    return name.strip(), address


def _label(line: str) -> tuple[str, str] | None:
    match = _HEADER.match(line)
    if not match:
        return None
    return match.group("label").strip().lower(), match.group("value").strip()


def inline_forward(body: str) -> InlineForward | None:
    """The original letter of a body that forwards one inline; None when it doesn't."""
    for marker in _SEPARATOR.finditer(body or ""):
        lines = body[marker.end() :].lstrip("\n").split("\n")
        name = address = subject = ""
        end = 0
        seen_header = False
        for index, line in enumerate(lines[:20]):
            stripped = line.strip(" \t>")
            if not stripped:
                if seen_header:
                    end = index
                    break
                continue
            yandex = _YANDEX_LINE.match(line)
            if yandex and not address:
                name, address = _name_and_address(yandex.group("value"))
                seen_header, end = True, index + 1
                break  # Yandex writes no other header lines: the text follows
            labelled = _label(line)
            if labelled is None:
                if seen_header:
                    end = index
                    break
                continue
            seen_header = True
            label, value = labelled
            if re.fullmatch(_FROM_LABELS, label) and not address:
                name, address = _name_and_address(value)
            elif re.fullmatch(_SUBJECT_LABELS, label) and not subject:
                subject = value.strip("* ")
            end = index + 1
        if not address:
            continue
        text = "\n".join(line[2:] if line.startswith("> ") else line for line in lines[end:])
        return InlineForward(name=name, address=address, subject=subject, text=text.strip())
    return None

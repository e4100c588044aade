"""Letters forwarded inline: the separator line and header block common mail clients write.

Staff often forward a request from their own mailbox to the privacy mailbox; the requester is
then the original author named in the forwarded header block, not the colleague who forwarded
it. The shapes below are the ones the clients write in English, Russian and (where they are
localised) Kazakh; `tests/requests/test_forwards.py` holds one example of each, with where its
format was taken from:

- a separator line ("---------- Forwarded message ---------", "-------- Перенаправленное
  сообщение --------", "Begin forwarded message:", a rule of underscores...) followed by a block
  of "Label: value" lines (Gmail, Thunderbird, Apple Mail, Outlook, Outlook on the web, Mail.ru,
  Yahoo, which may run the block into one line);
- Yandex Mail's separator followed by "DD.MM.YYYY, HH:MM, Name <address>:" (or "(address)");
- no separator, the header block first (new Outlook), or an attribution line ("On <date>,
  "Name" <address> wrote:", "<date> пользователь "Name" <address> написал:", Outlook for Mac):
  these are also how replies quote, so they count only when the subject says it is a forward.
"""

import re
from dataclasses import dataclass

_PHRASES = (
    # Gmail (every locale), Mail.ru, Yahoo, Thunderbird, Outlook, Apple Mail (en)
    r"forwarded message", r"original message", r"begin forwarded message",
    # Russian: Yandex, Mail.ru, Yahoo, Thunderbird, Outlook, Apple Mail
    r"пересылаемое сообщение", r"пересланное сообщение", r"перенаправленное сообщение",
    r"исходное сообщение", r"начало пересылаемого сообщения",
    r"начало переадресованного сообщения", r"переадресованное сообщение",
    # Kazakh
    r"қайта жіберілген хат", r"жіберілген хат", r"бағытталған хат", r"бастапқы хат",
    r"алға жіберілген хат", r"қайта жіберілген хабарлама",
)  # fmt: skip
_SEPARATOR = re.compile(
    r"^(?P<quote>[ \t]*>?)[ \t]*(?:[-=_*]{2,}[ \t]*)?(?:" + "|".join(_PHRASES) + r")"
    r"[ \t]*(?::|[-=_*]{2,})?[ \t]*(?P<rest>.*)$"
    # Outlook (classic and new) and Outlook on the web: a rule of underscores, then "From:".
    r"|^(?P<rule>[ \t]*_{10,}[ \t]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_FROM_LABELS = ("from", "от", "от кого", "отправитель", "кімнен", "жіберуші", "жіберген")
_SUBJECT_LABELS = ("subject", "тема", "тақырып", "тақырыбы")
_OTHER_LABELS = (
    "date", "sent", "to", "cc", "reply-to", "дата", "отправлено", "кому", "копия", "күні",
    "жіберілді", "кімге", "көшірме",
)  # fmt: skip
_LABELS = _FROM_LABELS + _SUBJECT_LABELS + _OTHER_LABELS
_HEADER = re.compile(
    r"^[ \t*]*(?P<label>" + "|".join(re.escape(label) for label in _LABELS) + r")"
    r"[ \t]*\**[ \t]*:[ \t]*\**[ \t]*(?P<value>.*)$",
    re.IGNORECASE,
)
# Yahoo runs the block into one line: "От: Name <a@b>Кому: ...Тема: ...".
_RUN_ON_LABEL = re.compile(
    r"(?<![^\W\d_])(?P<label>" + "|".join(re.escape(label) for label in _LABELS) + r")[ \t]*:",
    re.IGNORECASE,
)
# Yandex Mail: "19.03.2026, 10:00, "Иван Петров" <ivan@example.kz>:" or "..., Name (a@b):".
_YANDEX_LINE = re.compile(
    r"^\d{1,2}\.\d{1,2}\.\d{2,4},?\s+\d{1,2}:\d{2},?\s+(?P<value>.*[<(]\S+@\S+[>)]|\S+@\S+)\s*:\s*$"
)
_ATTRIBUTION = re.compile(
    r"^[ \t]*(?:on\s+.+,|.+\s+пользователь|.+,)?\s*"
    r"(?P<value>\"?[^\"<>\[\]]*\"?\s*[<\[]\S+@\S+[>\]])\s*(?:wrote|написал\(?а?\)?|жазды)\s*:\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARD_SUBJECT = re.compile(
    r"^\s*(?:fwd?|пересл|переслано|fw|tr|wg|қайта жіберу)\s*:", re.IGNORECASE
)
# Yandex closes the forwarded letter with a line of its own.
_END = re.compile(
    r"^-{2,}\s*конец пересылаемого сообщения\s*-{2,}\s*$", re.IGNORECASE | re.MULTILINE
)
_ADDRESS = re.compile(r"[^\s<>()\[\]\"';,:]+@[^\s<>()\[\]\"';,:]+\.[^\s<>()\[\]\"';,:]+")


@dataclass(frozen=True)
class InlineForward:
    name: str
    address: str
    subject: str
    text: str


def _name_and_address(value: str) -> tuple[str, str]:
    """("Иван Петров", "ivan@example.kz") of "Иван Петров <ivan@...>", "[mailto:...]", "(...)"."""
    value = value.strip().strip("*").strip()
    address = _ADDRESS.search(value)
    if not address:
        return "", ""
    before = value[: address.start()]
    name = re.sub(r"(?:\[?\s*mailto:|[<(\[])\s*$", "", before, flags=re.IGNORECASE)
    return name.strip().strip("\"'").strip(), address.group().rstrip(".")


def _unquoted(lines: list[str]) -> list[str]:
    """Lines without the "> " that Apple Mail puts before each forwarded line."""
    if not any(line.startswith(">") for line in lines[:3]):
        return lines
    return [re.sub(r"^>[ \t]?", "", line) for line in lines]


def _header_block(lines: list[str]) -> tuple[str, str, str, int] | None:
    """(name, address, subject, index of the first text line) of a header block at the top."""
    name = address = subject = ""
    seen = 0
    end = 0
    for index, line in enumerate(lines[:20]):
        stripped = line.strip()
        if not stripped:
            if seen:
                end = index
                break
            continue
        yandex = _YANDEX_LINE.match(stripped)
        if yandex and not address:
            name, address = _name_and_address(yandex.group("value"))
            seen, end = seen + 1, index + 1
            continue
        header = _HEADER.match(line)
        if header is None:
            if seen:
                end = index
                break
            return None  # text before any header: no block here
        label, value = header.group("label").lower(), header.group("value")
        if len(_RUN_ON_LABEL.findall(value)) >= 1:  # Yahoo's run-on block
            for part_label, part_value in _run_on(f"{label}: {value}"):
                if part_label in _FROM_LABELS and not address:
                    name, address = _name_and_address(part_value)
                elif part_label in _SUBJECT_LABELS and not subject:
                    subject = part_value
        elif label in _FROM_LABELS and not address:
            name, address = _name_and_address(value)
        elif label in _SUBJECT_LABELS and not subject:
            subject = value
        seen, end = seen + 1, index + 1
    else:
        end = min(len(lines), 20) if seen else 0
    if not address:
        return None
    return name, address, subject.strip(" *;\t"), end


def _run_on(line: str) -> list[tuple[str, str]]:
    labels = list(_RUN_ON_LABEL.finditer(line))
    return [
        (match.group("label").lower(), line[match.end() : following.start() if following else None])
        for match, following in zip(labels, [*labels[1:], None], strict=True)
    ]


def _forward(lines: list[str]) -> InlineForward | None:
    lines = _unquoted(lines)
    block = _header_block(lines)
    if block is None:
        return None
    name, address, subject, end = block
    text = "\n".join(lines[end:])
    text = re.split(r"^-{2,}\s*конец пересылаемого сообщения\s*-{2,}\s*$", text, flags=re.I | re.M)[
        0
    ]
    return InlineForward(name=name, address=address, subject=subject, text=text.strip())


def inline_forward(body: str, *, subject: str = "") -> InlineForward | None:
    """The original letter of a body that forwards one inline; None when it doesn't."""
    body = (body or "").replace("\r\n", "\n")
    for marker in _SEPARATOR.finditer(body):
        rest = (marker.group("rest") or "").strip() if not marker.group("rule") else ""
        lines = body[marker.end() :].lstrip("\n").split("\n")
        if rest:  # Yahoo: the block goes on on the separator's own line
            lines = [rest, *lines]
        if marker.group("quote") and ">" in marker.group("quote"):
            lines = [f"> {line}" if not line.startswith(">") else line for line in lines]
        found = _forward(lines)
        if found is not None:
            return found
    if not _FORWARD_SUBJECT.match(subject or ""):
        return None
    # New Outlook: the header block opens the body, after the forwarder's own words if any.
    paragraphs = [0] + [match.end() for match in re.finditer(r"\n[ \t]*\n", body)]
    for start in paragraphs:
        found = _forward(body[start:].lstrip("\n").split("\n"))
        if found is not None:
            return found
    attribution = _ATTRIBUTION.search(body)
    if attribution:
        name, address = _name_and_address(attribution.group("value"))
        if address:
            text = body[attribution.end() :].lstrip("\n")
            text = "\n".join(re.sub(r"^(?: {4}|>[ \t]?)", "", line) for line in text.split("\n"))
            return InlineForward(name=name, address=address, subject="", text=text.strip())
    return None

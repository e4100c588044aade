"""Suggesting a request's kind from its kk/ru/en wording, and the language to answer in.

Only a suggestion: staff confirm the kind of every request. Each kind has word stems in the three
languages; a stem found in the subject line counts twice, in the text once, and the kind with the
highest score wins. A kind whose fulfilment includes another's takes its place when both are
asked for: "unsubscribe me and withdraw my consent" is a withdrawal (which ends the mailings too),
"delete my data and take me off your lists" an erasure. Ties go to the kind whose handling asks
more of the operator, so that the heavier request is not mistaken for a lighter one.
A withdrawal "of everything" is told from a partial one by words like "all consents".
"""

import re

from requests.models import RequestKind

K = RequestKind

# Order matters: earlier kinds win ties.
_STEMS: dict[str, tuple[str, ...]] = {
    # Art. 6: first, so that "remove my data from public sources" is not taken for an erasure.
    K.PUBLIC_REMOVAL: (
        r"общедоступн", r"открыт\w* источник", r"опубликова\w* без", r"размещ\w* без",
        r"удал\w* (с|из) (ваш\w* )?(сайт|публикац)", r"жалпыға қолжетімді", r"ашық дереккөз",
        r"жариялан", r"сайттан (алып таста|жой|өшір)", r"publicly available", r"public sources?\b",
        r"\btake (it |them )?down\b", r"remove\w* from (your|the) (web)?site",
    ),
    K.ERASURE: (
        r"удал(ит|ени|я)", r"уничтож", r"стереть", r"\bжою\b", r"жойыңыз", r"жойып", r"жоюыңызды",
        r"өшір", r"\berase", r"\berasure", r"\bdelete", r"\bforget me",
        r"remove my (personal )?data",
    ),
    K.WITHDRAWAL: (
        r"отзыв\w* согласи", r"отозва\w*", r"отзываю", r"келісім\w* (кері )?қайтар",
        r"келісім\w* кері", r"келісімнен бас тарт", r"\bwithdraw", r"\brevoke",
    ),
    K.BLOCKING: (
        r"заблокир", r"(?<!раз)блокиров", r"бұғатта(?!н шығар|уды (алу|тоқтат))",
        r"\bblock(ing)?\b", r"\brestrict",
    ),
    K.UNBLOCKING: (r"разблокир", r"бұғаттан шығар", r"бұғаттауды (алу|тоқтат)", r"\bunblock"),
    K.RECTIFICATION: (
        r"исправ", r"уточн", r"изменить (мои|мой|мою)", r"обновить (мои|мой|мою)", r"неверн",
        r"түзет", r"өзгерт", r"\brectif", r"\bcorrect", r"\bupdate my", r"\bwrong\b",
    ),
    K.ACCESS: (
        r"какие (мои )?(персональные )?данные", r"ознаком", r"доступ",
        r"предостав\w* (мне )?(информаци|сведени|перечень)",
        r"перечень (моих )?(персональных )?данных", r"қол жеткіз", r"қандай дербес",
        r"хабарлауыңызды", r"ақпарат беру", r"\baccess\b", r"what (personal )?data",
        r"copy of (my|the) (personal )?data", r"which (personal )?data",
    ),
    K.UNSUBSCRIBE: (
        r"отпис", r"рассылк", r"не (при)?сылать", r"таратылымнан", r"жазылымнан", r"хат жібермеңіз",
        r"\bunsubscribe", r"stop (receiving|sending)", r"mailing list",
    ),
    K.COMPLAINT: (
        r"жалоб", r"нарушени", r"утечк", r"шағым", r"бұзушылық", r"\bcomplain", r"\bbreach",
        r"\bleak",
    ),
}  # fmt: skip
_ALL_CONSENTS = re.compile(
    r"(все\w* (мои\w* )?согласи|всех согласи|барлық келісім|all (of )?my consents|every consent|"
    r"all consents)",
    re.IGNORECASE,
)
_COMPILED = {
    kind: [re.compile(stem, re.IGNORECASE) for stem in stems] for kind, stems in _STEMS.items()
}
# A request of the key kind also does what the listed kinds would.
_INCLUDES = {
    K.ERASURE: {K.WITHDRAWAL, K.UNSUBSCRIBE, K.BLOCKING},
    K.WITHDRAWAL: {K.UNSUBSCRIBE},
}
_KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def suggest_kind(*, subject_line: str, body: str) -> str:
    """The most likely kind of a request (OTHER when nothing points anywhere)."""
    scores = {}
    for kind, patterns in _COMPILED.items():
        score = sum(
            2 * bool(p.search(subject_line or "")) + bool(p.search(body or "")) for p in patterns
        )
        if score:
            scores[kind] = score
    if not scores:
        return K.OTHER
    for broader, narrower in _INCLUDES.items():
        if broader in scores:
            for kind in narrower & scores.keys():
                scores[broader] += scores.pop(kind)
    order = list(_COMPILED)
    best = max(scores, key=lambda kind: (scores[kind], -order.index(kind)))
    if best == K.WITHDRAWAL and _ALL_CONSENTS.search(f"{subject_line}\n{body}"):
        return K.WITHDRAWAL_ALL
    return best


def detect_language(text: str) -> str:
    """kk when Kazakh letters appear, ru for other Cyrillic, en otherwise."""
    if _KAZAKH_LETTERS & set(text or ""):
        return "kk"
    cyrillic = len(re.findall(r"[а-яё]", text or "", re.IGNORECASE))
    latin = len(re.findall(r"[a-z]", text or "", re.IGNORECASE))
    return "ru" if cyrillic > latin else "en"

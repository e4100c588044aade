"""Suggesting a request's kind from its kk/ru/en wording, and the language to answer in.

Only a suggestion: staff confirm the kind of every request. Each kind has phrases in the three
languages, matched at the start of words (so Kazakh «көшірме», a copy, is not «өшір», delete)
on text folded to plain Cyrillic (Kazakh typed on a Russian keyboard, «келисим» for «келісім»,
matches too). A phrase that says what to do weighs 3, a word that only hints weighs 1; a phrase
in the subject line counts one and a half times. A phrase right after a negation («не
удаляйте», "don't delete") does not count; Kazakh negates with a suffix («жоймаңыз»), which the
phrases exclude themselves.

A kind whose fulfilment includes another's takes its place when both are asked for:
"unsubscribe me and withdraw my consent" is a withdrawal (which ends the mailings too), "delete
my data and take me off your lists" an erasure. Unblocking phrases speak of the block, so they
silence blocking. A withdrawal "of everything" is told from a partial one by words like "all
consents" or "in full". Ties go to the kind whose handling asks more of the operator.

`bench/kind_report.py` measures all this on a labelled corpus (tests/requests/kinds/).
"""

import re
from dataclasses import dataclass

from requests.models import RequestKind

K = RequestKind

_FOLD = str.maketrans("әғқңөұүһіё", "агкноууние")
_LETTER = r"[^\W\d_]"
_NEGATORS = {
    "не", "нельзя", "dont", "don't", "don’t", "not", "never", "no", "без", "емес", "жоқ",
}  # fmt: skip


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    weight: int


def _rules(strong: tuple[str, ...], weak: tuple[str, ...] = ()) -> tuple[_Rule, ...]:
    def compiled(phrase: str) -> re.Pattern[str]:
        return re.compile(rf"(?<!{_LETTER}){phrase.translate(_FOLD)}", re.IGNORECASE)

    return tuple(_Rule(compiled(p), 3) for p in strong) + tuple(_Rule(compiled(p), 1) for p in weak)


# Order matters: earlier kinds win ties (the heavier request first).
_KINDS: dict[str, tuple[_Rule, ...]] = {
    # Art. 6: first, so that "remove my data from public sources" is not taken for an erasure.
    K.PUBLIC_REMOVAL: _rules(
        strong=(
            r"общедоступн",
            r"открыт\w* источник",
            r"опубликова\w* без",
            r"размещ\w* без",
            r"удал\w* (с|из) (ваш\w* )?(сайт|публикац)",
            r"жалпыға қолжетімді",
            r"ашық дереккөз",
            r"жариялан",
            r"сайттан (алып таста|жой|өшір)",
            r"publicly available",
            r"public sources?\b",
            r"take (it |them )?down\b",
            r"remove\w* from (your|the) (web)?site",
        ),
    ),
    K.ERASURE: _rules(
        strong=(
            r"удал(?!ен)",
            r"удол",
            r"уничтож",
            r"стер(еть|ли|ет|ите|тые)",
            r"сотрит",
            r"жой(?!ма)",
            r"жою",
            r"өшір(?!ме)",
            r"өшіру",
            r"delete",
            r"delte",
            r"erase",
            r"forget me",
            r"right to be forgotten",
            r"destroy",
            r"remove (all )?(of )?my (personal )?(data|account|information)",
            r"data about me removed",
            r"removed? (all )?(my )?(personal )?data",
        ),
    ),
    K.WITHDRAWAL: _rules(
        strong=(
            r"отзыв\w*",
            r"отозва\w*",
            r"отзов\w*",
            r"больше не соглас",
            r"келісім\w*( \w+){0,3} (кері )?қайтар",
            r"келісім\w* бас тарт",
            r"withdraw",
            r"revok",
            r"no longer consent",
        ),
    ),
    K.BLOCKING: _rules(
        strong=(
            r"заблокир",
            r"блокир",
            r"приостанов\w* обработк",
            r"приостанов",
            r"ограничит\w* обработк",
            r"огранич",
            r"бұғатта(?!н шығар|уды (ал|тоқтат|қажеті))",
            r"тоқтата тұр",
            r"шектеңіз",
            r"шектеу",
            r"block",
            r"restrict",
            r"suspend",
            r"freeze",
        ),
    ),
    K.UNBLOCKING: _rules(
        strong=(
            r"разблокир",
            r"сн(ять|имите|ятие|ятия) блокировк",
            r"возобнов",
            r"бұғаттан шығар",
            r"бұғаттауды ал",
            r"бұғаттауды тоқтат",
            r"қайта баста",
            r"бұғаттаудың қажеті жоқ",
            r"unblock",
            r"lift the (restriction|block)",
            r"remove the (restriction|block)",
            r"resume",
            r"unfreeze",
            r"no need to keep (my )?(data )?blocked",
        ),
    ),
    K.RECTIFICATION: _rules(
        strong=(
            r"исправ",
            r"уточн",
            r"обнов",
            r"замени",
            r"поменя",
            r"сменил",
            r"изменит",
            r"түзет",
            r"өзгерт",
            r"жаңарт",
            r"ауыстыр",
            r"correct",
            r"rectif",
            r"update",
            r"fix",
            r"change my",
            r"misspel",
        ),
        weak=(r"неверн", r"ошибк", r"қате", r"wrong", r"incorrect"),
    ),
    K.ACCESS: _rules(
        strong=(
            r"какие (\w+ ){0,2}данн",
            r"ознаком",
            r"доступ",
            r"копи\w* (своих |моих )?\w* ?данн",
            r"предостав\w* (мне )?(информаци|сведени|перечень|копи)",
            r"что вы обо мне",
            r"кому вы",
            r"откуда у вас",
            r"қандай (\w+ ){0,2}(деректер|мәлімет)",
            r"көшірме",
            r"таныс",
            r"қол жеткіз",
            r"кімге бер",
            r"хабарлауыңызды",
            r"access",
            r"what (\w+ ){0,2}data",
            r"which (\w+ ){0,2}data",
            r"copy of (my|the)",
            r"who did you share",
            r"see the (personal )?data",
            r"data (you have|you hold) on me",
        ),
    ),
    K.UNSUBSCRIBE: _rules(
        strong=(
            r"отпис",
            r"не (при)?сыла",
            r"не отправля",
            r"перестаньте (слать|присылать|писать)",
            r"из (списка )?рассылк",
            r"от рассылк",
            r"таратылым\w* шығар",
            r"жіберме",
            r"жіберуді тоқтат",
            r"жазылым\w* бас тарт",
            r"unsubscribe",
            r"stop sending",
            r"mailing list",
            r"email list",
            r"no more e-?mails",
            r"opt me out",
            r"take me off",
        ),
        weak=(r"рассылк", r"спам", r"рекламу", r"таратылым", r"spam", r"newsletter"),
    ),
    K.COMPLAINT: _rules(
        strong=(
            r"жалоб",
            r"жаловат",
            r"претензи",
            r"нарушени",
            r"утечк",
            r"утекл",
            r"разгласил",
            r"незаконн",
            r"шағым",
            r"бұзушылық",
            r"наразылы",
            r"ағып кет",
            r"тарап кет",
            r"жария ет",
            r"жарияланып",
            r"заңсыз",
            r"complain",
            r"breach",
            r"leak",
            r"violation",
            r"report you",
            r"regulator",
            r"disclosed",
            r"unlawful",
        ),
        weak=(r"без (моего )?согласия", r"келісімімсіз", r"without my consent"),
    ),
}
# Words that turn a hint around: "subscribe to your newsletter" is no unsubscribe.
_AGAINST: dict[str, tuple[_Rule, ...]] = {
    K.UNSUBSCRIBE: _rules(strong=(r"подпис", r"subscribe to", r"sign me up", r"жазылғ")),
}
_ALL_CONSENTS = re.compile(
    "|".join(
        phrase.translate(_FOLD)
        for phrase in (
            r"вс(е|ё)\w* (мои\w* )?согласи",
            r"всех согласи",
            r"любые согласи",
            r"по всем целям",
            r"полност",
            r"в полном объ",
            r"барлық келісім",
            r"келісімдерімнің барлығ",
            r"толық көлемде",
            r"all (of )?my consents",
            r"every consent",
            r"all consents",
            r"in full",
            r"consent to all",
            r"entirely",
        )
    ),
    re.IGNORECASE,
)
# A request of the key kind also does what the listed kinds would.
_INCLUDES = {
    K.ERASURE: {K.WITHDRAWAL, K.UNSUBSCRIBE, K.BLOCKING},
    K.WITHDRAWAL: {K.UNSUBSCRIBE},
}
_SILENCES = {K.UNBLOCKING: {K.BLOCKING}}
_KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
# Kazakh words that need no Kazakh letter, for letters typed on a Russian keyboard.
_KAZAKH_WORDS = re.compile(
    r"(?<!\w)(менин|деректер\w*|келисим\w*|сураймын|отинемин|барлык|кери|кайтар\w*|жою\w*|"
    r"сиздер\w*|рахмет|салеметсиз)(?!\w)",
    re.IGNORECASE,
)


def _negated(text: str, start: int) -> bool:
    """Whether one of the three words before `start`, in the same clause, negates."""
    clause = re.split(r"[.!?;,:\n]", text[:start])[-1]
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", clause.lower())
    return any(word in _NEGATORS for word in words[-3:])


def _score(rules: tuple[_Rule, ...], text: str, factor: float) -> float:
    score = 0.0
    for rule in rules:
        for match in rule.pattern.finditer(text):
            if not _negated(text, match.start()):
                score += rule.weight * factor
                break
    return score


def suggest_kind(*, subject_line: str, body: str) -> str:
    """The most likely kind of a request (OTHER when nothing points anywhere)."""
    subject = (subject_line or "").lower().translate(_FOLD)
    text = (body or "").lower().translate(_FOLD)
    scores: dict[str, float] = {}
    for kind, rules in _KINDS.items():
        score = _score(rules, subject, 1.5) + _score(rules, text, 1.0)
        score -= _score(_AGAINST.get(kind, ()), f"{subject}\n{text}", 1.0)
        if score > 0:
            scores[kind] = score
    for louder, quieted in _SILENCES.items():
        if louder in scores:
            for kind in quieted:
                scores.pop(kind, None)
    if not scores:
        return K.OTHER
    for broader, narrower in _INCLUDES.items():
        if broader in scores:
            for kind in narrower & scores.keys():
                scores[broader] += scores.pop(kind)
    order = list(_KINDS)
    best = max(scores, key=lambda kind: (scores[kind], -order.index(kind)))
    if best == K.WITHDRAWAL and _ALL_CONSENTS.search(f"{subject}\n{text}"):
        return K.WITHDRAWAL_ALL
    return best


def detect_language(text: str) -> str:
    """kk when Kazakh letters (or Kazakh words) appear, ru for other Cyrillic, en otherwise."""
    if _KAZAKH_LETTERS & set(text or ""):
        return "kk"
    cyrillic = len(re.findall(r"[а-яё]", text or "", re.IGNORECASE))
    latin = len(re.findall(r"[a-z]", text or "", re.IGNORECASE))
    if cyrillic > latin and len(_KAZAKH_WORDS.findall(text or "")) >= 2:
        return "kk"
    return "ru" if cyrillic > latin else "en"

"""The demo's people, planned from a fixed seed before anything touches the database.

Pure functions: the same seed gives the same plan on every machine and every run, which is what
lets `demo.services` find yesterday's rows again by their e-mail addresses.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from consents.models import ConsentMethod
from demo import data
from subjects.models import HandleKind, Source

SEED = 20260101
SUBJECT_COUNT = 200


@dataclass(frozen=True)
class ConsentPlan:
    purpose: str
    method: str
    given_days_ago: int
    minute: int  # of the day, Almaty time
    evidence: str
    payload: dict[str, Any]
    categories: list[str]
    withdrawn_days_ago: int | None = None
    withdrawal_channel: str = ""
    regiven_days_ago: int | None = None  # given again after the withdrawal


@dataclass(frozen=True)
class PersonPlan:
    email: str
    fields: dict[str, Any]
    handles: list[tuple[str, str]] = field(default_factory=list)
    consents: list[ConsentPlan] = field(default_factory=list)


def translit(text: str) -> str:
    """Latin letters for an e-mail address or a handle: "Нұрланова" -> "nurlanova"."""
    latin = "".join(data.TRANSLIT.get(char, char) for char in text.lower())
    return "".join(char for char in latin if char.isascii() and char.isalnum())


def plan_people(*, seed: int = SEED, count: int = SUBJECT_COUNT) -> list[PersonPlan]:
    """`count` made-up people; the same seed always gives the same people in the same order."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, nothing secret
    return [_plan_person(rng, index) for index in range(count)]


def _plan_person(rng: random.Random, index: int) -> PersonPlan:
    female = rng.random() < 0.55
    if rng.random() < 0.6:
        surname = rng.choice(data.KAZAKH_SURNAMES)
        last_name = f"{surname}а" if female else surname
        first_name = rng.choice(data.KAZAKH_FEMALE_NAMES if female else data.KAZAKH_MALE_NAMES)
        patronymic = rng.choice(data.KAZAKH_MALE_NAMES) + ("қызы" if female else "ұлы")
        language = rng.choices(("kk", "ru", "en"), weights=(6, 3, 1))[0]
    else:
        surname = rng.choice(data.RUSSIAN_SURNAMES)
        last_name = f"{surname}а" if female else surname
        first_name = rng.choice(data.RUSSIAN_FEMALE_NAMES if female else data.RUSSIAN_MALE_NAMES)
        patronymic = rng.choice(data.RUSSIAN_PATRONYMICS)[1 if female else 0]
        language = rng.choices(("ru", "kk", "en"), weights=(8, 1, 1))[0]
    latin_first, latin_last = translit(first_name), translit(last_name)
    email = f"{latin_first}.{latin_last}.{index}@example.com"
    source = rng.choices(list(data.SOURCE_WEIGHTS), weights=list(data.SOURCE_WEIGHTS.values()))[0]

    fields: dict[str, Any] = {
        "last_name": last_name,
        "first_name": first_name,
        "patronymic": patronymic,
        "email": email,
        "preferred_language": language,
        "source": source,
        "source_detail": data.SOURCE_DETAILS[source],
    }
    if rng.random() < 0.85:
        digits = f"{rng.randrange(10_000_000):07d}"
        fields["phone"] = rng.choice(data.PHONE_FORMATS).format(
            code=rng.choice(data.MOBILE_CODES), a=digits[:3], b=digits[3:5], c=digits[5:]
        )
    if rng.random() < 0.9:
        fields["city"] = rng.choice(data.CITIES)
        fields["country"] = "KZ"
    if rng.random() < 0.4:
        fields["birth_date"] = date(rng.randint(1965, 2005), rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.35:
        fields["position"] = rng.choice(data.POSITIONS)
        fields["organisation"] = rng.choice(data.ORGANISATIONS)
    if rng.random() < 0.05:
        fields["website"] = f"https://{latin_first}-{latin_last}.example.com/"

    handles = []
    if rng.random() < 0.3:
        handles.append((HandleKind.TELEGRAM, f"@{latin_first}_{latin_last[:1]}{index}"))
    if rng.random() < 0.2:
        handles.append((HandleKind.INSTAGRAM, f"{latin_first}.{latin_last}.{index}"))

    consents = [
        _plan_consent(rng, index, code, fields)
        for code, plan in data.PURPOSE_PLANS.items()
        if _consents_to(rng, code, plan, source)
    ]
    return PersonPlan(email=email, fields=fields, handles=handles, consents=consents)  # type: ignore[arg-type]


def _consents_to(rng: random.Random, code: str, plan: data.PurposePlan, source: str) -> bool:
    # Draw for every purpose, even a certain one, so the stream does not depend on the source.
    drawn = rng.random() < plan.share
    return drawn or (code == "contracts" and source in (Source.CONTRACT, Source.PURCHASE))


def _plan_consent(rng: random.Random, index: int, code: str, fields: dict[str, Any]) -> ConsentPlan:
    plan = data.PURPOSE_PLANS[code]
    source = fields["source"]
    if code == "contracts" or code == "legal_obligation":
        method = (
            ConsentMethod.OFFER_ACCEPTANCE
            if source == Source.PURCHASE
            else ConsentMethod.WRITTEN_AGREEMENT
        )
    else:
        method = data.SOURCE_METHOD[source]
    evidence, payload = _evidence(rng, method, index)
    # A person gives the data categories they have: no phone, no phone in the consent.
    categories = [
        category
        for category in plan.categories
        if (category != "phone" or "phone" in fields)
        and (category != "occupation" or "position" in fields)
    ]
    given_days_ago = rng.randint(60, 600)
    withdrawn_days_ago = regiven_days_ago = None
    channel = ""
    if rng.random() < plan.withdrawn_share:
        withdrawn_days_ago = rng.randint(2, given_days_ago - 1)
        marketing = code in ("newsletter", "direct_marketing")
        channel = rng.choice(data.MARKETING_WITHDRAWAL if marketing else data.OTHER_WITHDRAWAL)
        if rng.random() < 0.25:
            regiven_days_ago = rng.randint(1, withdrawn_days_ago - 1)
    return ConsentPlan(
        purpose=code,
        method=method,
        given_days_ago=given_days_ago,
        minute=rng.randint(9 * 60, 22 * 60),
        evidence=evidence,
        payload=payload,
        categories=categories,
        withdrawn_days_ago=withdrawn_days_ago,
        withdrawal_channel=channel,
        regiven_days_ago=regiven_days_ago,
    )


def _evidence(rng: random.Random, method: str, index: int) -> tuple[str, dict[str, Any]]:
    """How the consent can be confirmed, as staff would note it for each way of giving it."""
    if method == ConsentMethod.TILDA_FORM:
        tranid = f"{rng.randint(1_000_000, 9_999_999)}:{rng.randint(1_000_000, 9_999_999)}"
        return (
            "Tilda: форма «Регистрация на воркшоп», отмечен флажок согласия",
            {"formid": "form-demo-1", "formname": "Workshop", "tranid": tranid, "policy": "1"},
        )
    texts = {
        ConsentMethod.SITE_CHECKBOX: (
            "Флажок «Согласен с политикой конфиденциальности» на форме example.org/register",
            {"form": "register", "policy": "1"},
        ),
        ConsentMethod.SUBSCRIPTION_FORM: (
            "Форма подписки на example.org, адрес подтверждён по ссылке из письма",
            {"form": "subscribe", "double_opt_in": True},
        ),
        ConsentMethod.WRITTEN_AGREEMENT: (
            f"Письменный договор № D-{index:04d}, подписан лично",
            {},
        ),
        ConsentMethod.OFFER_ACCEPTANCE: (
            f"Акцепт публичной оферты при оформлении заказа № {10_000 + index}",
            {"order": 10_000 + index},
        ),
        ConsentMethod.EMAIL: ("Согласие получено ответным письмом на info@example.org", {}),
        ConsentMethod.IMPORT: (
            "Импорт из subscribers-2019.csv; отметка о подписке есть в исходном файле",
            {"file": "subscribers-2019.csv", "line": index + 2},
        ),
    }
    return texts[method]  # type: ignore[index, return-value]

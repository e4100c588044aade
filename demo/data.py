"""The made-up material the demo is built from: names, places, processors and requests.

Everything here is fictional. Names are combined at random, e-mail addresses live under the
reserved example.com / example.org domains, organisations carry "Demo" or "Мысал" ("example") in
their names, and registration numbers are invented.
"""

from dataclasses import dataclass

from consents.models import ConsentMethod, WithdrawalChannel
from processors.models import ProcessingAction as A
from processors.models import ProcessorService
from requests.models import RequestChannel, RequestKind, RequestStatus
from subjects.models import Source

# --- People ---------------------------------------------------------------------------------------
# Kazakh surnames are given in the male form; the female form adds "а" (-ов/-ев/-ин → -ова/...).
KAZAKH_SURNAMES = (
    "Нұрланов", "Сейітов", "Әбілов", "Қасымов", "Жұмабаев", "Төлеуов", "Оспанов", "Сәрсенбаев",
    "Мұратов", "Байжанов", "Құрманғалиев", "Ахметов", "Ысқақов", "Әлімжанов", "Серікбаев",
    "Омаров", "Тоқтаров", "Бекмұхамбетов", "Шәкенов", "Ғабдуллин", "Жаһанов", "Өтегенов",
    "Үсенов", "Ермеков", "Мәлікбаев", "Дүйсенов", "Қалиев", "Ізбасаров",
)  # fmt: skip
KAZAKH_MALE_NAMES = (
    "Нұрлан", "Ерлан", "Қанат", "Асқар", "Дәурен", "Ерболат", "Бауыржан", "Ғалым", "Мұхтар",
    "Айбек", "Нұрсұлтан", "Әлихан", "Төлеген", "Серік", "Жандос", "Еркебұлан", "Шыңғыс",
    "Ерасыл", "Шаһмардан", "Өмірзақ", "Ілияс", "Мейіржан",
)  # fmt: skip
KAZAKH_FEMALE_NAMES = (
    "Айгерім", "Әйгерім", "Гүлнұр", "Ақбота", "Назерке", "Жұлдыз", "Динара", "Аружан", "Дана",
    "Мөлдір", "Әсел", "Сәуле", "Гүлмира", "Айнұр", "Іңкәр", "Жансая", "Томирис", "Балнұр",
    "Ұлжан", "Күнсұлу",
)  # fmt: skip

RUSSIAN_SURNAMES = (
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов",
    "Новиков", "Морозов", "Волков", "Фёдоров", "Васильев", "Зайцев", "Павлов", "Семёнов",
)  # fmt: skip
RUSSIAN_MALE_NAMES = (
    "Иван", "Сергей", "Алексей", "Дмитрий", "Андрей", "Михаил", "Евгений", "Павел", "Виктор",
    "Артём", "Николай", "Владимир",
)  # fmt: skip
RUSSIAN_FEMALE_NAMES = (
    "Ольга", "Елена", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Мария", "Екатерина",
    "Юлия", "Ксения", "Валентина",
)  # fmt: skip
# Father's name -> (patronymic of a son, patronymic of a daughter).
RUSSIAN_PATRONYMICS = (
    ("Петрович", "Петровна"), ("Иванович", "Ивановна"), ("Сергеевич", "Сергеевна"),
    ("Александрович", "Александровна"), ("Андреевич", "Андреевна"), ("Николаевич", "Николаевна"),
    ("Владимирович", "Владимировна"), ("Дмитриевич", "Дмитриевна"), ("Михайлович", "Михайловна"),
    ("Алексеевич", "Алексеевна"), ("Викторович", "Викторовна"), ("Юрьевич", "Юрьевна"),
)  # fmt: skip

CITIES = (
    "Алматы", "Алматы", "Алматы", "Астана", "Астана", "Шымкент", "Қарағанды", "Ақтөбе",
    "Атырау", "Өскемен", "Павлодар", "Семей", "Қостанай", "Тараз", "Орал", "Түркістан",
)  # fmt: skip
POSITIONS = (
    "Менеджер", "Дизайнер", "Мұғалім", "Бухгалтер", "Инженер", "Маркетолог", "Студент",
    "Product manager", "Руководитель проекта", "Аналитик", "Дәрігер", "Архитектор",
)  # fmt: skip
ORGANISATIONS = (
    "«Мысал Консалтинг» ЖШС", "ТОО «Пример Логистик»", "Example Design Studio",
    "Demo University", "«Үлгі Сауда» ЖШС", "ТОО «Демо Строй»", "Demo Coffee Roasters",
)  # fmt: skip
# KZ mobile codes that `phonenumbers` accepts as valid (703, 704 and 709 are not allocated).
MOBILE_CODES = ("700", "701", "702", "705", "706", "707", "708", "747", "771", "775", "777", "778")
# The same number as people type it; the subject service normalises each to E.164.
PHONE_FORMATS = (
    "+7 {code} {a} {b} {c}",
    "8 ({code}) {a}-{b}-{c}",
    "8{code}{a}{b}{c}",
    "+7{code}{a}{b}{c}",
)

# Latin spelling for e-mail addresses and handles (Kazakh letters first, then Russian ones).
TRANSLIT = {
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

# Where the data came from -> how such a person would have given consent, and what the form was.
SOURCE_METHOD = {
    Source.REGISTRATION_FORM: ConsentMethod.SITE_CHECKBOX,
    Source.SUBSCRIPTION_FORM: ConsentMethod.SUBSCRIPTION_FORM,
    Source.CONTRACT: ConsentMethod.WRITTEN_AGREEMENT,
    Source.PURCHASE: ConsentMethod.OFFER_ACCEPTANCE,
    Source.PHONE_CALL: ConsentMethod.EMAIL,
    Source.EMAIL: ConsentMethod.EMAIL,
    Source.SUPPORT: ConsentMethod.EMAIL,
    Source.PUBLIC_SOURCE: ConsentMethod.EMAIL,
    Source.IMPORT: ConsentMethod.IMPORT,
    Source.TILDA_FORM: ConsentMethod.TILDA_FORM,
}
SOURCE_DETAILS = {
    Source.REGISTRATION_FORM: "example.org/register",
    Source.SUBSCRIPTION_FORM: "example.org — блок подписки в подвале сайта",
    Source.CONTRACT: "Договор оказания услуг, бумажный экземпляр в архиве",
    Source.PURCHASE: "Заказ в интернет-магазине example.org/shop",
    Source.PHONE_CALL: "Звонок на горячую линию",
    Source.EMAIL: "Письмо на info@example.org",
    Source.SUPPORT: "Обращение в службу поддержки",
    Source.PUBLIC_SOURCE: "Список участников открытой конференции (опубликован самим участником)",
    Source.IMPORT: "subscribers-2019.csv",
    Source.TILDA_FORM: "Tilda: форма «Регистрация на воркшоп»",
}
# How often each source appears: mostly the site's forms, as for a foundation running workshops.
SOURCE_WEIGHTS = {
    Source.REGISTRATION_FORM: 3, Source.SUBSCRIPTION_FORM: 5, Source.CONTRACT: 2,
    Source.PURCHASE: 2, Source.PHONE_CALL: 1, Source.EMAIL: 1, Source.SUPPORT: 1,
    Source.PUBLIC_SOURCE: 1, Source.IMPORT: 2, Source.TILDA_FORM: 4,
}  # fmt: skip


# --- Consents -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PurposePlan:
    """How often the demo gives consent to a purpose and what that consent says (Art. 8(4))."""

    share: float  # of subjects who consented
    withdrawn_share: float  # of those consents later withdrawn
    categories: tuple[str, ...]
    third_party: bool = False
    countries: tuple[str, ...] = ()  # a cross-border transfer goes to these countries


PURPOSE_PLANS = {
    "newsletter": PurposePlan(0.6, 0.2, ("name", "email"), True, ("US", "DE")),
    "feedback": PurposePlan(0.3, 0.05, ("name", "email")),
    "contracts": PurposePlan(0.15, 0.0, ("name", "email", "phone", "location", "agreement"), True),
    "direct_marketing": PurposePlan(0.2, 0.25, ("name", "email", "phone")),
    "ad_analytics": PurposePlan(0.15, 0.15, ("email", "online"), True, ("US",)),
    "product_research": PurposePlan(0.15, 0.1, ("name", "email", "occupation")),
    "legal_obligation": PurposePlan(0.05, 0.0, ("name", "identifier", "location")),
}
# Marketing is mostly left through the link in a mailing; other consents by writing to us.
MARKETING_WITHDRAWAL = (WithdrawalChannel.UNSUBSCRIBE_LINK,) * 4 + (
    WithdrawalChannel.EMAIL_REQUEST,
)
OTHER_WITHDRAWAL = (
    WithdrawalChannel.EMAIL_REQUEST,
    WithdrawalChannel.LETTER,
    WithdrawalChannel.IN_PERSON,
)


# --- Processors -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProcessorSpec:
    legal_name: str
    registration_number: str
    country: str
    contact: str
    services: tuple[str, ...]
    actions: tuple[str, ...]
    purposes: tuple[str, ...]
    data_categories: tuple[str, ...]
    agreement_number: str
    agreement_date: str  # ISO date
    in_kazakhstan: bool
    active_from: str
    active_to: str = ""


PROCESSORS = (
    ProcessorSpec(
        "Demo Hosting LLP", "250140000012", "KZ", "hosting-dpo@example.com\n+7 727 000 00 01",
        (ProcessorService.HOSTING,),
        (A.STORE, A.ACCUMULATE, A.SYSTEMATISE, A.RETRIEVE, A.DELETE, A.DESTROY),
        ("contracts", "feedback", "newsletter", "direct_marketing", "product_research",
         "legal_obligation"),
        ("name", "email", "phone", "birth_date", "location", "occupation", "photo", "online",
         "agreement", "identifier", "correspondence"),
        "NDA-2025/01", "2025-01-15", True, "2025-01-15",
    ),
    ProcessorSpec(
        "Example Mail Delivery Inc.", "DEMO-US-4471", "US", "privacy-mail@example.com",
        (ProcessorService.EMAIL_DELIVERY,),
        (A.STORE, A.USE, A.TRANSFER, A.DELETE),
        ("newsletter", "direct_marketing"),
        ("name", "email"),
        "DPA-2025/02", "2025-02-03", False, "2025-02-03",
    ),
    ProcessorSpec(
        "Demo Mailer GmbH", "HRB 000000 (demo)", "DE", "datenschutz@example.com",
        (ProcessorService.EMAIL_DELIVERY,),
        (A.STORE, A.USE, A.TRANSFER, A.DELETE),
        ("newsletter",),
        ("name", "email"),
        "DPA-2025/03", "2025-03-10", False, "2025-03-10",
    ),
    ProcessorSpec(
        "Demo Courier LLP", "250340000021", "KZ", "courier@example.com\n+7 727 000 00 02",
        (ProcessorService.ORDER_FULFILMENT,),
        (A.RECORD, A.STORE, A.USE, A.DESTROY),
        ("contracts",),
        ("name", "phone", "location"),
        "NDA-2025/04", "2025-04-01", True, "2025-04-01",
    ),
    ProcessorSpec(
        "Demo Payments JSC", "250540000035", "KZ", "compliance@example.com",
        (ProcessorService.PAYMENTS,),
        (A.RECORD, A.STORE, A.USE),
        ("contracts",),
        ("name", "email", "phone"),
        "NDA-2025/05", "2025-05-20", True, "2025-05-20",
    ),
    ProcessorSpec(
        "Demo Survey Tools OÜ", "DEMO-EE-0815", "EE", "survey-privacy@example.com",
        (ProcessorService.OTHER,),
        (A.COLLECT, A.STORE, A.DEPERSONALISE, A.DELETE),
        ("feedback", "product_research"),
        ("name", "email", "occupation"),
        "DPA-2025/06", "2025-02-01", False, "2025-02-01", "2025-12-31",
    ),
)  # fmt: skip


# --- Requests -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RequestSpec:
    """One demo request. `subject` is the index of a demo subject it came from, if any.

    Requests from unknown people name them in `requester` (last, first, patronymic); an empty
    patronymic makes the request incomplete, as the policy requires all three.
    """

    kind: str
    channel: str
    status: str
    days_ago: int
    content: str
    subject: int | None = None
    requester: tuple[str, str, str] = ("", "", "")
    reply_email: str = ""
    postal_address: str = ""
    drop_patronymic: bool = False
    assign_staff: bool = False
    refusal_reason: str = ""
    # What fulfilling a completed request did: consents withdrawn, subject fields corrected.
    withdraws: tuple[str, ...] = ()
    rectifies: tuple[tuple[str, str], ...] = ()


K, Ch, St = RequestKind, RequestChannel, RequestStatus
REQUESTS = (
    RequestSpec(
        K.ACCESS, Ch.EMAIL, St.COMPLETED, 34,
        "Сәлеметсіз бе! Сіздерде менің қандай дербес деректерім сақталатыны және олар қандай "
        "мақсатта өңделетіні туралы ақпарат беруіңізді сұраймын.",
        subject=2, assign_staff=True,
    ),
    RequestSpec(
        K.ACCESS, Ch.WEB, St.RECEIVED, 1,
        "Please tell me what personal data you hold about me and who you share it with.",
        requester=("Demo", "Alex", "Samuel"), reply_email="alex.demo@example.org",
    ),
    RequestSpec(
        K.ACCESS, Ch.IN_PERSON, St.AWAITING_INFORMATION, 6,
        "Прошу выдать мне перечень моих персональных данных, которые обрабатывает фонд. "
        "Заявление подано лично в офисе.",
        subject=41, drop_patronymic=True,
    ),
    RequestSpec(
        K.RECTIFICATION, Ch.EMAIL, St.IN_PROGRESS, 4,
        "Здравствуйте! В вашей базе у меня указан старый номер телефона. Прошу исправить его "
        "на актуальный, который указан в подписи этого письма.",
        subject=25, assign_staff=True,
    ),
    RequestSpec(
        K.RECTIFICATION, Ch.LETTER, St.COMPLETED, 27,
        "Жұмыс орным ауысты. Деректер базасындағы лауазымымды «Жетекші талдаушы» деп "
        "түзетуіңізді сұраймын.",
        subject=12, postal_address="Алматы қ., Демо көшесі, 1-үй, 1-пәтер (демо мекенжай)",
        rectifies=(("position", "Жетекші талдаушы"),),
    ),
    RequestSpec(
        K.PUBLIC_REMOVAL, Ch.EMAIL, St.RECEIVED, 0,
        "Здравствуйте! Мой номер телефона опубликован на вашем сайте в списке участников без "
        "моего согласия. Прошу удалить его из общедоступных источников.",
        subject=33,
    ),
    RequestSpec(
        K.BLOCKING, Ch.IN_PERSON, St.IN_PROGRESS, 3,
        "Прошу заблокировать обработку моих персональных данных до выяснения, откуда у вас "
        "мой номер телефона.",
        subject=19, assign_staff=True,
    ),
    RequestSpec(
        K.BLOCKING, Ch.EMAIL, St.REFUSED, 21,
        "Block everything you have on me, now.",
        requester=("Demo", "Jordan", "Lee"), reply_email="j.demo@example.org",
        refusal_reason="Заявитель не подтвердил личность: адрес для ответа не совпадает ни с "
        "одним адресом в реестре, запрос на подтверждение остался без ответа.",
    ),
    RequestSpec(
        K.ERASURE, Ch.EMAIL, St.AWAITING_INFORMATION, 9,
        "Менің барлық деректерімді жоюыңызды сұраймын. Бұдан былай хат жібермеңіздер.",
        requester=("Ермекова", "Дана", ""), reply_email="dana.demo@example.org",
    ),
    RequestSpec(
        K.ERASURE, Ch.LETTER, St.IN_PROGRESS, 8,
        "Прошу уничтожить все мои персональные данные в связи с отзывом согласия.",
        subject=53, assign_staff=True,
        postal_address="г. Алматы, ул. Демонстрационная, 2 (демо-адрес)",
    ),
    RequestSpec(
        K.ERASURE, Ch.WEB, St.REFUSED, 15,
        "Удалите мои данные, договор мне больше не нужен.",
        subject=63,
        refusal_reason="Договор не исполнен: по нему не погашена задолженность. Данные хранятся "
        "до исполнения обязательства (п. 2 ст. 8 Закона о персональных данных).",
    ),
    RequestSpec(
        K.WITHDRAWAL, Ch.EMAIL, St.COMPLETED, 12,
        "Жаңалықтар таратылымына берген келісімімді қайтарып аламын. Шарт бойынша қызметтер "
        "жалғаса берсін.",
        subject=47, withdraws=("newsletter",),
    ),
    RequestSpec(
        K.WITHDRAWAL, Ch.WEB, St.RECEIVED, 2,
        "I withdraw my consent to advertising analytics and direct marketing.",
        subject=20,
    ),
    RequestSpec(
        K.UNSUBSCRIBE, Ch.EMAIL, St.COMPLETED, 17,
        "Отпишите меня, пожалуйста, от рассылки.",
        subject=4, withdraws=("newsletter",),
    ),
    RequestSpec(
        K.UNSUBSCRIBE, Ch.WEB, St.RECEIVED, 1,
        "stop sending me newsletters",
        requester=("", "Sam", ""), reply_email="sam.demo@example.org",
    ),
    RequestSpec(
        K.COMPLAINT, Ch.EMAIL, St.IN_PROGRESS, 5,
        "Мне на почту пришло письмо с чужими персональными данными (фамилия и телефон другого "
        "участника). Считаю это небезопасной обработкой данных.",
        requester=("Козлова", "Ирина", "Андреевна"), reply_email="irina.demo@example.org",
        assign_staff=True,
    ),
    RequestSpec(
        K.COMPLAINT, Ch.LETTER, St.AWAITING_INFORMATION, 11,
        "Маған сіздерден рұқсатсыз SMS келеді. Шағым түсіремін.",
        requester=("Оспанов", "Ерлан", ""),
        postal_address="Шымкент қ., Үлгі көшесі, 3 (демо мекенжай)",
    ),
    RequestSpec(
        K.UNBLOCKING, Ch.EMAIL, St.RECEIVED, 0,
        "Прошу разблокировать мои данные: вопрос с номером телефона выяснен.",
        subject=31,
    ),
    RequestSpec(
        K.WITHDRAWAL_ALL, Ch.LETTER, St.IN_PROGRESS, 2,
        "Барлық келісімдерімді кері қайтарып аламын.",
        subject=37, assign_staff=True,
        postal_address="Алматы қ., Демо көшесі, 7 (демо мекенжай)",
    ),
    RequestSpec(
        K.OTHER, Ch.EMAIL, St.RECEIVED, 1,
        "When is your next charity run, and may I bring my dog?",
        requester=("Demo", "Robin", "James"), reply_email="robin.demo@example.org",
    ),
)  # fmt: skip

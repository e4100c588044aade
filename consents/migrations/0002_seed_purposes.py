"""The seven purposes of processing listed in the operator's privacy policy."""

from django.db import migrations
from django.utils import timezone

PURPOSES = [
    {
        "code": "contracts",
        "legal_basis": "contract",
        "is_marketing": False,
        "name_kk": "Шарттар мен келісімдерге сәйкес тауар сату және қызмет көрсету",
        "name_ru": "Продажа товаров и оказание услуг по договорам и соглашениям",
        "name_en": "Selling goods and services under contracts and agreements",
        "description_kk": "Шот-фактура, тапсырыс жеткізу және басқа да осындай операциялар.",
        "description_ru": "Счета-фактуры, доставка заказов и другие подобные операции.",
        "description_en": "Invoices, order delivery and other such operations.",
    },
    {
        "code": "feedback",
        "legal_basis": "consent",
        "is_marketing": False,
        "name_kk": "Пайдаланушылардың кері байланысын алу және өңдеу",
        "name_ru": "Получение и обработка обратной связи пользователей",
        "name_en": "Collecting and processing users' feedback",
        "description_kk": "Сауалнама жүргізу, дауыс беру және басқа да осындай іс-шаралар.",
        "description_ru": "Опросы, голосования и другие подобные мероприятия.",
        "description_en": "Surveys, voting and other such activities.",
    },
    {
        "code": "newsletter",
        "legal_basis": "consent",
        "is_marketing": True,
        "name_kk": "Электрондық поштаға ақпарат және жарнама материалдарын жіберу",
        "name_ru": "Рассылка информационных и рекламных материалов по электронной почте",
        "name_en": "Sending information and advertising materials by e-mail",
        "description_kk": "Осы мақсатта ұсынылған электрондық пошта мекенжайларына.",
        "description_ru": "На адреса электронной почты, предоставленные для этой цели.",
        "description_en": "To the e-mail addresses given for this purpose.",
    },
    {
        "code": "direct_marketing",
        "legal_basis": "consent",
        "is_marketing": True,
        "name_kk": "Тікелей байланыс арқылы тауарлар мен қызметтерді алға жылжыту",
        "name_ru": "Продвижение товаров и услуг путём прямых контактов",
        "name_en": "Promoting goods and services through direct contact",
        "description_kk": "Байланыс құралдарының көмегімен Пайдаланушымен тікелей байланыс.",
        "description_ru": "Прямые контакты с пользователем с помощью средств связи.",
        "description_en": "Direct contact with the user by means of communication.",
    },
    {
        "code": "ad_analytics",
        "legal_basis": "consent",
        "is_marketing": False,
        "name_kk": "Жарнама науқандарының тиімділігін талдау",
        "name_ru": "Анализ эффективности рекламных кампаний",
        "name_en": "Analysing the effectiveness of advertising campaigns",
        "description_kk": "",
        "description_ru": "",
        "description_en": "",
    },
    {
        "code": "product_research",
        "legal_basis": "consent",
        "is_marketing": False,
        "name_kk": "Пайдаланушының қалауын зерттеу, өнімді әзірлеу және тестілеу",
        "name_ru": "Исследование предпочтений пользователей, разработка и тестирование продуктов",
        "name_en": "Researching users' preferences, developing and testing products",
        "description_kk": "",
        "description_ru": "",
        "description_en": "",
    },
    {
        "code": "legal_obligation",
        "legal_basis": "law",
        "is_marketing": False,
        "name_kk": "Қазақстан Республикасының заңнамасында тікелей белгіленген мақсаттар",
        "name_ru": "Цели, прямо установленные законодательством Республики Казахстан",
        "name_en": "Purposes set directly by the law of the Republic of Kazakhstan",
        "description_kk": "",
        "description_ru": "",
        "description_en": "",
    },
]


def seed_purposes(apps, schema_editor):
    Purpose = apps.get_model("consents", "Purpose")
    HistoricalPurpose = apps.get_model("consents", "HistoricalPurpose")
    for order, values in enumerate(PURPOSES, start=1):
        purpose, created = Purpose.objects.get_or_create(
            code=values["code"], defaults={**values, "sort_order": order}
        )
        if created:
            # Historical models are plain models inside migrations: write the creation row by hand.
            HistoricalPurpose.objects.create(
                **{f.attname: getattr(purpose, f.attname) for f in Purpose._meta.concrete_fields},
                history_date=timezone.now(),
                history_type="+",
                history_change_reason="Seeded from the privacy policy",
            )


def unseed_purposes(apps, schema_editor):
    Purpose = apps.get_model("consents", "Purpose")
    HistoricalPurpose = apps.get_model("consents", "HistoricalPurpose")
    codes = [values["code"] for values in PURPOSES]
    HistoricalPurpose.objects.filter(code__in=codes).delete()
    Purpose.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("consents", "0001_initial")]

    operations = [migrations.RunPython(seed_purposes, unseed_purposes)]

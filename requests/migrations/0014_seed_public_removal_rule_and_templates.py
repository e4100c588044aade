"""The deadline rule and the answer templates (kk, ru, en) of a removal from public sources.

Law No. 94-V, Art. 6: personal data collected or processed in breach of the law is removed from
publicly available sources within one working day of the subject's demand. The law sets no
separate period for refusing it: the same working day is used.
"""

from importlib import import_module

from django.db import migrations

KEY = "public_removal"
BASIS = (
    "Law No. 94-V On personal data and their protection, Art. 6: data collected or processed "
    "unlawfully is removed from publicly available sources within 1 working day of the "
    "subject's demand."
)
REFUSAL_BASIS = "The law sets no separate refusal period for this kind: the same working day."

BODIES = {
    "kk": "Сіздің талабыңыз бойынша заңсыз жарияланған дербес деректеріңіз жалпыға қолжетімді "
    "көздерден алынып тасталды (Заңның 6-бабы).",
    "ru": "По вашему требованию ваши персональные данные, размещённые с нарушением закона, удалены "
    "из общедоступных источников (статья 6 Закона).",
    "en": "As you demanded, your personal data published in breach of the law has been removed "
    "from publicly available sources (Article 6 of the Law).",
}


def seed(apps, schema_editor):
    previous = import_module("requests.migrations.0006_seed_answer_templates")
    DeadlineRule = apps.get_model("requests", "DeadlineRule")
    AnswerTemplate = apps.get_model("requests", "AnswerTemplate")
    DeadlineRule.objects.get_or_create(
        key=KEY,
        defaults={
            "days": 1, "unit": "working_days", "article": "Art. 6", "basis": BASIS,
            "refusal_days": 1, "refusal_basis": REFUSAL_BASIS,
        },
    )  # fmt: skip
    for language, body in BODIES.items():
        AnswerTemplate.objects.get_or_create(
            key=KEY,
            language=language,
            defaults={
                "subject_template": previous.SUBJECT[language],
                "body_template": previous.GREETING[language]
                + body
                + previous.ACTIONS[language]
                + previous.SIGNATURE[language],
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("requests", "DeadlineRule").objects.filter(key=KEY).delete()
    apps.get_model("requests", "AnswerTemplate").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("requests", "0013_public_removal_kind_and_record")]

    operations = [migrations.RunPython(seed, unseed)]

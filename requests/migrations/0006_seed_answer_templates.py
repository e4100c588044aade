"""Answer templates in Kazakh, Russian and English, one per kind of request, refusal and the
request for missing information. The privacy officer edits them in the admin; Django template
language, plain text (see requests.rendering for what a template may print).
"""

from django.db import migrations

GREETING = {
    "kk": "Құрметті {{ requester_name|default:\"өтініш беруші\" }}!\n\n"
    "{{ received_on }} күнгі № {{ number }} өтінішіңізге жауап береміз.\n\n",
    "ru": "Здравствуйте{% if requester_name %}, {{ requester_name }}{% endif %}!\n\n"
    "Отвечаем на ваше обращение от {{ received_on }} (№ {{ number }}).\n\n",
    "en": "Dear {{ requester_name|default:\"Sir or Madam\" }},\n\n"
    "This is our answer to your request No. {{ number }} of {{ received_on }}.\n\n",
}
SIGNATURE = {
    "kk": "\n\nҚұрметпен,\n{{ operator_name }}\n{% if responsible_person %}{{ responsible_person }}, "
    "дербес деректерді өңдеуді ұйымдастыруға жауапты тұлға\n{% endif %}{{ operator_email }}",
    "ru": "\n\nС уважением,\n{{ operator_name }}\n{% if responsible_person %}{{ responsible_person }}, "
    "лицо, ответственное за организацию обработки персональных данных\n{% endif %}"
    "{{ operator_email }}",
    "en": "\n\nKind regards,\n{{ operator_name }}\n{% if responsible_person %}{{ responsible_person }}, "
    "person responsible for organising the processing of personal data\n{% endif %}"
    "{{ operator_email }}",
}
SUBJECT = {
    "kk": "№ {{ number }} өтінішке жауап",
    "ru": "Ответ на обращение № {{ number }}",
    "en": "Answer to your request No. {{ number }}",
}
ACTIONS = {
    "kk": "{% if actions %}\n\nНе істелді:\n{% for line in actions %}- {{ line }}\n{% endfor %}{% endif %}",
    "ru": "{% if actions %}\n\nЧто сделано:\n{% for line in actions %}- {{ line }}\n{% endfor %}{% endif %}",
    "en": "{% if actions %}\n\nWhat was done:\n{% for line in actions %}- {{ line }}\n{% endfor %}{% endif %}",
}
PURPOSES = '{% if withdrawn_purposes %}: {{ withdrawn_purposes|join:"; " }}{% endif %}'

BODIES = {
    "access": {
        "kk": "{% if report_attached %}Сіз туралы бізде сақталатын барлық дербес деректер, олардың "
        "көздері, келісімдеріңіз (қай саясат нұсқасы бойынша берілгені және олардың мазмұны), "
        "деректерді алатын өңдеушілер мен елдер, сақтау мерзімдері және бұрынғы өтініштеріңіз "
        "тіркелген есепте (access-report.json) келтірілген.{% else %}Бізде сіз туралы дербес "
        "деректер жоқ.{% endif %}",
        "ru": "{% if report_attached %}Все персональные данные, которые мы о вас храним, их "
        "источники, ваши согласия (с версией политики, по которой они даны, и их содержанием), "
        "операторы-обработчики и страны, получающие данные, сроки хранения и ваши прошлые "
        "обращения приведены в приложенном отчёте (access-report.json).{% else %}Персональных "
        "данных о вас у нас нет.{% endif %}",
        "en": "{% if report_attached %}Everything we hold about you — the personal data, where it "
        "came from, your consents (with the policy version they were given under and their "
        "content), the processors and countries that receive the data, how long it is kept and "
        "your past requests — is in the attached report (access-report.json).{% else %}We hold "
        "no personal data about you.{% endif %}",
    },
    "rectification": {
        "kk": "Өтінішіңіз бойынша дербес деректеріңіз түзетілді.",
        "ru": "По вашему обращению ваши персональные данные исправлены.",
        "en": "As you asked, we have corrected your personal data.",
    },
    "blocking": {
        "kk": "Дербес деректеріңізді өңдеу бұғатталды: бұғаттау алынғанға дейін сізге таратылымдар "
        "жіберілмейді және деректеріңіз ешбір тізімге немесе экспортқа енгізілмейді.",
        "ru": "Обработка ваших персональных данных заблокирована: до снятия блокировки вы не "
        "получите рассылок, а ваши данные не попадут ни в один список или выгрузку.",
        "en": "Processing of your personal data is blocked: until the block is lifted you will "
        "receive no mailings and your data will not be included in any list or export.",
    },
    "unblocking": {
        "kk": "Дербес деректеріңізді бұғаттау алынды; оларды өңдеу келісімдеріңізге сәйкес "
        "жалғасады.",
        "ru": "Блокировка ваших персональных данных снята; их обработка продолжается в "
        "соответствии с вашими согласиями.",
        "en": "The block on your personal data has been lifted; it is processed again as your "
        "consents allow.",
    },
    "erasure": {
        "kk": "Дербес деректеріңіз жойылды. Заң талабы бойынша тек өтініштің өзі және оның "
        "орындалғаны (күні мен орындаған қызметкер) сақталады; электрондық поштаңыз бен "
        "телефоныңыз ескі тізімдерден қайта қосылмауы үшін тек қайтымсыз кілттелген хэш түрінде "
        "қалады.",
        "ru": "Ваши персональные данные уничтожены. Мы храним только сам факт обращения и его "
        "исполнения (дату и сотрудника); ваш адрес электронной почты и телефон остаются лишь в "
        "виде необратимого ключевого хэша, чтобы вас не добавили снова из старых списков.",
        "en": "Your personal data has been destroyed. We keep only the fact of your request and "
        "of its fulfilment (the date and the member of staff); your e-mail address and phone "
        "remain only as a keyed one-way hash, so that no old list adds you again.",
    },
    "withdrawal": {
        "kk": "Келісіміңіз кері қайтарылды" + PURPOSES + ". Бұл мақсаттар үшін деректеріңіз "
        "бұдан былай өңделмейді; басқа келісімдеріңіз күшінде қалады.",
        "ru": "Ваше согласие отозвано" + PURPOSES + ". Для этих целей ваши данные больше не "
        "обрабатываются; другие ваши согласия остаются в силе.",
        "en": "Your consent has been withdrawn" + PURPOSES + ". Your data is no longer processed "
        "for these purposes; your other consents remain in force.",
    },
    "withdrawal_all": {
        "kk": "Барлық келісімдеріңіз кері қайтарылды" + PURPOSES + ". Деректеріңіз енді тек заң "
        "талап ететін жерде ғана сақталады.",
        "ru": "Все ваши согласия отозваны" + PURPOSES + ". Ваши данные теперь хранятся только "
        "там, где этого требует закон.",
        "en": "All your consents have been withdrawn" + PURPOSES + ". Your data is now kept only "
        "where the law requires it.",
    },
    "unsubscribe": {
        "kk": "Сіз біздің барлық таратылымдарымыздан шығарылдыңыз. Мекенжайыңыз ескі тізімдерден "
        "қайта қосылмайды.",
        "ru": "Вы исключены из всех наших рассылок. Ваш адрес не будет добавлен снова из старых "
        "списков.",
        "en": "You have been removed from all our mailings. Your address will not be added again "
        "from old lists.",
    },
    "complaint": {
        "kk": "Шағымыңызды қарадық.\n\n[Қарау нәтижесін және қабылданған шараларды осында "
        "жазыңыз.]\n\nЖауап сізді қанағаттандырмаса, дербес деректерді қорғау саласындағы "
        "уәкілетті органға немесе сотқа жүгіне аласыз.",
        "ru": "Мы рассмотрели вашу жалобу.\n\n[Опишите здесь результат рассмотрения и принятые "
        "меры.]\n\nЕсли ответ вас не устраивает, вы можете обратиться в уполномоченный орган в "
        "сфере защиты персональных данных или в суд.",
        "en": "We have considered your complaint.\n\n[Write here what was found and what was "
        "done.]\n\nIf this answer does not satisfy you, you may turn to the authorised body for "
        "personal data protection or to a court.",
    },
    "other": {
        "kk": "Өтінішіңізді қарадық.\n\n[Жауапты осында жазыңыз.]",
        "ru": "Мы рассмотрели ваше обращение.\n\n[Напишите здесь ответ.]",
        "en": "We have considered your request.\n\n[Write the answer here.]",
    },
    "refusal": {
        "kk": "Өкінішке орай, өтінішіңізді орындаудан бас тартамыз. Себебі:\n{{ refusal_reason }}"
        "\n\nБұл шешіммен келіспесеңіз, оған дербес деректерді қорғау саласындағы уәкілетті органға "
        "немесе сотқа шағымдана аласыз.",
        "ru": "К сожалению, мы отказываем в исполнении вашего обращения. Основание:\n"
        "{{ refusal_reason }}\n\nЕсли вы не согласны с этим решением, вы можете обжаловать его в "
        "уполномоченном органе в сфере защиты персональных данных или в суде.",
        "en": "We regret that we must refuse your request, for this reason:\n{{ refusal_reason }}"
        "\n\nIf you disagree with this decision, you may appeal to the authorised body for "
        "personal data protection or to a court.",
    },
}
INCOMPLETE = {
    "kk": (
        "№ {{ number }} өтініш: қосымша мәліметтер қажет",
        "Құрметті {{ requester_name|default:\"өтініш беруші\" }}!\n\n{{ received_on }} күнгі "
        "хатыңызды алдық. Құпиялылық саясатымызға сәйкес өтініште тегіңіз, атыңыз, әкеңіздің аты, "
        "жауап беруге арналған мекенжай және өтініштің мәні болуы керек. Өтінішті орындауымыз үшін "
        "мына мәліметтерді жіберіңізші:\n{% for item in missing %}- {{ item }}\n{% endfor %}\n"
        "Осы хатқа жауап беріңіз: жауабыңызды алғанға дейін өтінішті қарау мерзімі тоқтатылады.",
    ),
    "ru": (
        "Обращение № {{ number }}: нужны дополнительные сведения",
        "Здравствуйте{% if requester_name %}, {{ requester_name }}{% endif %}!\n\nМы получили ваше "
        "письмо от {{ received_on }}. Согласно нашей политике конфиденциальности обращение должно "
        "содержать фамилию, имя, отчество, адрес для ответа и суть обращения. Чтобы мы могли его "
        "исполнить, пожалуйста, сообщите:\n{% for item in missing %}- {{ item }}\n{% endfor %}\n"
        "Ответьте на это письмо; до получения ответа срок рассмотрения обращения приостановлен.",
    ),
    "en": (
        "Your request No. {{ number }}: we need a few details",
        "Dear {{ requester_name|default:\"Sir or Madam\" }},\n\nWe have received your letter of "
        "{{ received_on }}. Our privacy policy asks that a request give your last name, first "
        "name, patronymic, an address for our answer and what you ask for. So that we can act on "
        "it, please send us:\n{% for item in missing %}- {{ item }}\n{% endfor %}\nPlease reply "
        "to this e-mail; the time for answering your request is paused until we hear from you.",
    ),
}


def templates():
    for key, bodies in BODIES.items():
        for language, body in bodies.items():
            actions = ACTIONS[language] if key not in {"access", "refusal", "other"} else ""
            yield key, language, SUBJECT[language], (
                GREETING[language] + body + actions + SIGNATURE[language]
            )
    for language, (subject, body) in INCOMPLETE.items():
        yield "incomplete", language, subject, body + SIGNATURE[language]


def seed(apps, schema_editor):
    AnswerTemplate = apps.get_model("requests", "AnswerTemplate")
    for key, language, subject, body in templates():
        AnswerTemplate.objects.get_or_create(
            key=key,
            language=language,
            defaults={"subject_template": subject, "body_template": body},
        )


def unseed(apps, schema_editor):
    AnswerTemplate = apps.get_model("requests", "AnswerTemplate")
    for key, language, _subject, _body in templates():
        AnswerTemplate.objects.filter(key=key, language=language).delete()


class Migration(migrations.Migration):
    dependencies = [("requests", "0005_seed_deadline_rules")]

    operations = [migrations.RunPython(seed, unseed)]

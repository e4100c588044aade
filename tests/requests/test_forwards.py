"""Inline forwards as common clients write them: the original author is the requester.

Where each shape comes from (the header blocks below are written after these public examples,
with this project's own names and text):

- Gmail, Apple Mail, Thunderbird, Yahoo, Outlook on the web / 365, new Outlook and Outlook 2019
  (en and ru): the test fixtures of the email-forward-parser library by Crisp
  (github.com/crisp-oss/email-forward-parser, test/fixtures/<client>_<locale>_body.txt, e.g.
  gmail_ru_body.txt, apple_mail_ru_body.txt, thunderbird_ru_body.txt, yahoo_ru_body.txt,
  new_outlook_2019_ru_body.txt, outlook_2019_ru_body.txt) and its list of separators
  (lib/parser.js: "_{32}" for Outlook Live / 365, "-{8} Перенаправленное сообщение -{8}" for
  Thunderbird ru, "-{5} Пересылаемое сообщение -{5}" for Yahoo ru, "Начало переадресованного
  сообщения:" for Apple Mail ru). Gmail writes its separator in English in every locale and
  localises only some labels ("От:" beside "Date:", "Subject:").
- Outlook classic: "-----Original Message-----" / "-----Исходное сообщение-----" with
  "From: Name [mailto:address]" and "Sent:", as in GitHub's email_reply_parser README
  (github.com/github/email_reply_parser, "Strange Quoting").
- Yandex Mail: "-------- Пересылаемое сообщение --------", then "DD.MM.YYYY, HH:MM, Name
  (address):", "Кому: ...;", "Тема: ...;", closed by "-------- Конец пересылаемого сообщения
  --------", as Yandex forwards appear in test data of public projects handling Yandex mail.
- Mail.ru: the same separator with "От кого:", "Кому:", "Дата:", "Тема:" labels.
- Kazakh: no public example of a Kazakh-localised forward was found; the separator and labels
  are those of the Kazakh interfaces' wording ("Қайта жіберілген хат", "Кімнен", "Тақырыбы").
"""

import pytest

from requests.mail.forwards import inline_forward
from requests.mail.parsing import parse_message
from tests.requests.letters import letter

TEXT = "Прошу удалить мои персональные данные."

CASES = {
    "gmail_en": (
        "Fwd: delete",
        "FYI\n\n---------- Forwarded message ---------\n"
        "From: Ivan Petrov <ivan.petrov@example.kz>\nDate: Thu, 19 Mar 2026 at 10:00\n"
        "Subject: delete my data\nTo: <info@example.org>\n\n" + TEXT + "\n",
        "delete my data",
    ),
    "gmail_ru": (
        "Fwd: удалить",
        "---------- Forwarded message ---------\nОт: Иван Петров <ivan.petrov@example.kz>\n"
        "Date: чт, 19 мар. 2026 г. в 10:00\nSubject: удалить данные\n"
        "To: <info@example.org>\nCc: Асель Ким <asel@example.org>\n\n" + TEXT + "\n",
        "удалить данные",
    ),
    "apple_mail_en": (
        "Fwd: delete",
        "> Begin forwarded message:\n>\n> From: Ivan Petrov <ivan.petrov@example.kz>\n"
        "> Subject: delete my data\n> Date: 19 March 2026 at 10:00:00 GMT+5\n"
        "> To: info@example.org\n>\n> " + TEXT + "\n>",
        "delete my data",
    ),
    "apple_mail_ru": (
        "Fwd: удалить",
        "> Начало переадресованного сообщения:\n>\n"
        "> Отправитель: Иван Петров <ivan.petrov@example.kz>\n> Тема: удалить данные\n"
        "> Дата: 19 марта 2026 г. в 10:00:00 GMT+5\n> Кому: info@example.org\n>\n> " + TEXT,
        "удалить данные",
    ),
    "thunderbird_en": (
        "Fwd: delete",
        "-------- Forwarded Message --------\nSubject: \tdelete my data\n"
        "Date: \tThu, 19 Mar 2026 10:00:00 +0500\nFrom: \tIvan Petrov <ivan.petrov@example.kz>\n"
        "To: \tinfo@example.org\n\n\n\n" + TEXT,
        "delete my data",
    ),
    "thunderbird_ru": (
        "Fwd: удалить",
        "-------- Перенаправленное сообщение --------\nТема: \tудалить данные\n"
        "Дата: \tThu, 19 Mar 2026 10:00:00 +0500\nОт: \tИван Петров <ivan.petrov@example.kz>\n"
        "Кому: \tinfo@example.org\n\n\n\n" + TEXT,
        "удалить данные",
    ),
    "outlook_classic_en": (
        "FW: delete",
        "-----Original Message-----\nFrom: Ivan Petrov [mailto:ivan.petrov@example.kz]\n"
        "Sent: Thursday, March 19, 2026 10:00 AM\nTo: Info\nSubject: delete my data\n\n" + TEXT,
        "delete my data",
    ),
    "outlook_classic_ru": (
        "FW: удалить",
        "-----Исходное сообщение-----\nОт: Иван Петров [mailto:ivan.petrov@example.kz]\n"
        "Отправлено: 19 марта 2026 г. 10:00\nКому: Info\nТема: удалить данные\n\n" + TEXT,
        "удалить данные",
    ),
    "outlook_web_365": (
        "Fw: delete",
        "\n\n________________________________\nFrom: Ivan Petrov <ivan.petrov@example.kz>\n"
        "Sent: Thursday, March 19, 2026 10:00 AM\nTo: info@example.org <info@example.org>\n"
        "Subject: delete my data\n\n" + TEXT,
        "delete my data",
    ),
    "new_outlook_ru": (
        "FW: удалить",
        "От: Иван Петров <ivan.petrov@example.kz>\nДата: четверг, 19 марта 2026 г. в 10:00\n"
        "Кому: info@example.org <info@example.org>\nТема: удалить данные\n" + TEXT + "\n",
        "удалить данные",
    ),
    "new_outlook_en": (
        "FW: delete",
        "From: Ivan Petrov <ivan.petrov@example.kz>\nDate: Thursday, 19 March 2026 at 10:00\n"
        "To: info@example.org <info@example.org>\nSubject: delete my data\n" + TEXT + "\n",
        "delete my data",
    ),
    "outlook_2019_ru": (
        "FW: удалить",
        '19/03/2026, 10:00 пользователь "Иван Петров" <ivan.petrov@example.kz> написал:\n\n'
        "    " + TEXT + "\n",
        "",
    ),
    "outlook_2019_en": (
        "FW: delete",
        'On 19/03/2026, 10:00, "Ivan Petrov" <ivan.petrov@example.kz> wrote:\n\n    ' + TEXT,
        "",
    ),
    "yahoo_ru": (
        "Fw: удалить",
        "   ----- Пересылаемое сообщение ----- От: Иван Петров <ivan.petrov@example.kz>Кому: "
        '"info@example.org" <info@example.org>Отправлено: четверг, 19 марта 2026 г., '
        "10:00:00 GMT+5Тема: удалить данные\n " + TEXT,
        "удалить данные",
    ),
    "yahoo_en": (
        "Fw: delete",
        "----- Forwarded Message -----\nFrom: Ivan Petrov <ivan.petrov@example.kz>\n"
        "To: info@example.org <info@example.org>\nSent: Thursday, March 19, 2026, 10:00:00 "
        "GMT+5\nSubject: delete my data\n\n" + TEXT,
        "delete my data",
    ),
    "yandex_ru": (
        "Fwd: удалить",
        "\n\n-------- Пересылаемое сообщение --------\n"
        "19.03.2026, 10:00, Иван Петров (ivan.petrov@example.kz):\n"
        "Кому: info@example.org (info@example.org);\nТема: удалить данные;\n\n"
        + TEXT
        + "\n\n-------- Конец пересылаемого сообщения --------\n",
        "удалить данные",
    ),
    "yandex_ru_older": (
        "Fwd: удалить",
        "-------- Пересылаемое сообщение --------\n"
        '19.03.2026, 10:00, "Иван Петров" <ivan.petrov@example.kz>:\n\n' + TEXT + "\n\n"
        "-------- Конец пересылаемого сообщения --------",
        "",
    ),
    "mail_ru": (
        "Fwd: удалить",
        "-------- Пересылаемое сообщение --------\nОт кого: Иван Петров <ivan.petrov@example.kz>\n"
        "Кому: info@example.org\nДата: Четверг, 19 марта 2026, 10:00 +05:00\n"
        "Тема: удалить данные\n\n" + TEXT,
        "удалить данные",
    ),
    "kazakh": (
        "Fwd: жою",
        "---------- Қайта жіберілген хат ----------\nКімнен: Иван Петров <ivan.petrov@example.kz>\n"
        "Күні: 19.03.2026\nТақырыбы: удалить данные\nКімге: info@example.org\n\n" + TEXT,
        "удалить данные",
    ),
}


@pytest.mark.parametrize("client", CASES)
def test_the_original_author_of_an_inline_forward_is_found(client):
    subject, body, original_subject = CASES[client]

    found = inline_forward(body, subject=subject)

    assert found is not None
    assert found.address == "ivan.petrov@example.kz"
    assert found.name in ("Ivan Petrov", "Иван Петров")
    assert found.subject == original_subject
    assert found.text == TEXT


@pytest.mark.parametrize(
    "body",
    [
        # A reply quoting our own answer is no forward: the requester stays the sender.
        'On 19/03/2026, 10:00, "Privacy" <privacy@example.org> wrote:\n\n> Your request...',
        "From: the pension fund I learnt that you hold my data.\nPlease delete it.",
        "Our forwarded message policy: none.\nFrom: nobody",
    ],
)
def test_replies_and_ordinary_text_are_not_forwards(body):
    assert inline_forward(body, subject="Re: your answer") is None


def test_a_forwarded_letter_names_its_author_as_the_requester_and_the_colleague_as_forwarder():
    subject, body, _original = CASES["outlook_classic_ru"]
    raw = letter(sender="Info desk <info@example.org>", subject=subject, body=body)

    parsed = parse_message(raw)

    assert (parsed.sender_name, parsed.sender_email) == ("Иван Петров", "ivan.petrov@example.kz")
    assert parsed.forwarded_by == "info@example.org"
    assert parsed.body == TEXT

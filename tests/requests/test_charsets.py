"""Letters as real mailers send them: raw 8-bit headers, missing and wrong charset labels, HTML.

The fixtures in tests/requests/messages/ are written byte by byte in the charset each case names;
the raw bytes are kept as they came, only the text is decoded.
"""

import base64
from pathlib import Path

import pytest

from requests.mail.parsing import parse_message
from requests.services.intake import Outcome, message_ingest

MESSAGES = Path(__file__).parent / "messages"


def parsed(name: str):
    return parse_message((MESSAGES / name).read_bytes())


@pytest.mark.parametrize(
    ("name", "sender", "subject", "body"),
    [
        # Raw 8-bit headers, as older Windows mailers send them (no RFC 2047).
        ("raw_headers_cp1251.eml", "Олег Смирнов", "Прошу удалить мои данные",
         "Прошу удалить мои персональные данные."),
        ("raw_headers_koi8r_unlabelled_body.eml", "Жанна Ахметова", "Отзыв согласия",
         "Прошу отозвать моё согласие на рассылку."),
        # KZ-1048 (STRK1048-2002), the Kazakh single-byte charset.
        ("kz1048.eml", "Айгүл Омарова", "Деректерімді жойыңыз",
         "Менің дербес деректерімді жоюыңызды сұраймын. Құрметпен, Айгүл."),
        # Labelled ISO-8859-1 / UTF-8, written in windows-1251: the label is provably wrong.
        ("wrong_label_latin1.eml", "Ivan Petrov", "Request",
         "Прошу предоставить информацию о моих персональных данных."),
        ("wrong_label_utf8.eml", "Ivan Petrov", "Request", "Прошу исправить мою фамилию."),
        # HTML only, its charset said only in <meta> (HTML Living Standard 4.2.5.4).
        ("html_meta_charset.eml", "Ivan Petrov", "Request", "Прошу заблокировать мои данные."),
        # An empty text/plain beside the full text/html: the one with content is the letter.
        ("empty_plain_full_html.eml", "Ivan Petrov", "Request",
         "Прошу разблокировать мои данные."),
    ],
)  # fmt: skip
def test_the_text_is_read_whatever_the_charset_and_its_label(name, sender, subject, body):
    message = parsed(name)

    assert (message.sender_name, message.subject_line, message.body) == (sender, subject, body)
    assert message.raw == (MESSAGES / name).read_bytes()  # the bytes are kept as they came


def test_a_latin1_letter_labelled_latin1_stays_latin1():
    raw = (
        b"From: Jose <jose@example.es>\r\nSubject: Hola\r\nMessage-ID: <l1@example.es>\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n\r\n"
        + "Por favor, borren mis datos. Gracias, José Núñez.".encode("latin-1")
    )

    assert parse_message(raw).body == "Por favor, borren mis datos. Gracias, José Núñez."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "filename", "content_type"),
    [
        ("attachment_only_pdf.eml", "zayavlenie.pdf", "application/pdf"),
        ("attachment_only_inline_jpeg.eml", "attachment.jpg", "image/jpeg"),
    ],
)
def test_a_letter_that_is_only_an_attachment_is_a_request_to_read_it(name, filename, content_type):
    result = message_ingest(raw=(MESSAGES / name).read_bytes(), source=name)

    assert result.outcome == Outcome.CREATED
    subject_request = result.request
    assert subject_request.attachment_to_read
    assert "content" not in subject_request.missing_items  # it is in the scan, not missing
    [attachment] = subject_request.attachments.all()
    assert (attachment.filename, attachment.content_type) == (filename, content_type)


def test_an_rfc2047_subject_labelled_latin1_over_windows_1251_bytes_is_read_as_cyrillic():
    subject = "Прошу удалить мои данные".encode("cp1251")
    raw = (
        b"From: =?iso-8859-1?q?Jos=E9_N=FA=F1ez?= <jose@example.es>\r\nMessage-ID: <m1@x.kz>\r\n"
        b"Subject: =?iso-8859-1?b?" + base64.b64encode(subject) + b"?=\r\n\r\nText\r\n"
    )

    message = parse_message(raw)

    assert message.subject_line == "Прошу удалить мои данные"
    assert message.sender_name == "José Núñez"  # real Latin-1 stays Latin-1

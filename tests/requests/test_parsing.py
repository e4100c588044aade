"""Reading letters: charsets, HTML, attachments, forwards, names, kinds, card numbers."""

from datetime import datetime
from email import message_from_bytes, policy

import pytest

from common.validators import contains_card_number
from common.workdays import ALMATY
from requests.mail.cards import mask_card_numbers, mask_card_numbers_in_bytes
from requests.mail.html_text import html_to_text
from requests.mail.kinds import detect_language, suggest_kind
from requests.mail.names import Name, guess_name, split_name
from requests.mail.parsing import UnreadableMessageError, message_digest, parse_message
from tests.requests.conftest import samples_dir
from tests.requests.letters import letter


def sample(name: str) -> bytes:
    return (samples_dir() / name).read_bytes()


def test_kazakh_sample_is_read_with_its_attachment_and_receipt_time():
    parsed = parse_message(sample("access_request_kk.eml"))

    assert parsed.sender_name == "Сәуле Бекмұратова"
    assert parsed.sender_email == "saule.bekmuratova@example.kz"
    assert parsed.subject_line == "Менің дербес деректеріме қол жеткізу туралы өтініш"
    assert parsed.body.startswith("Қайырлы күн!")
    assert "Құрметпен,\nСәуле Бекмұратова" in parsed.body
    # The topmost Received header: when our mailbox got it, not when it was written.
    assert parsed.received_at == datetime(2026, 2, 5, 10, 15, 42, tzinfo=ALMATY)
    [attachment] = parsed.attachments
    assert attachment.filename == "өтініш_Бекмұратова.txt"
    assert attachment.content_type == "text/plain"
    assert "Өтініш" in attachment.data.decode("utf-8")
    assert parsed.raw == sample("access_request_kk.eml")  # no card numbers: stored as it came


def test_windows_1251_quoted_printable_sample_is_decoded():
    parsed = parse_message(sample("erasure_request_ru.eml"))

    assert parsed.sender_name == "Андрей Соколов"
    assert parsed.subject_line == "Требование удалить мои персональные данные и отозвать согласие"
    assert "ФИО: Соколов Андрей Викторович" in parsed.body
    assert "«Шаг добра»" in parsed.body  # a soft line break of quoted-printable is joined
    assert parsed.attachments == []


def test_a_forwarded_letter_is_opened_and_its_author_is_the_requester():
    parsed = parse_message(sample("withdrawal_request_en.eml"))

    assert (parsed.sender_name, parsed.sender_email) == ("Emily Carter", "emily.carter@example.com")
    assert parsed.forwarded_by == "frontdesk@example.org"
    assert parsed.subject_line == "Withdrawal of my consent to your newsletter"
    assert parsed.body.startswith("Hello,")
    assert "Passing this on to the privacy mailbox" not in parsed.body
    # The digest is the outer message's: one request per message that reached the mailbox.
    assert parsed.digest == message_digest(
        message_id="<9b2e4c71-5d3a-4f8e-a0c6-2e7d1b9f4a58@example.org>", raw=b""
    )


def test_an_inline_forward_names_the_original_sender():
    raw = letter(
        sender="Info desk <info@example.org>",
        subject="Fwd: удалите мои данные",
        body=(
            "Пересылаю.\n\n---------- Forwarded message ---------\n"
            "From: Иван Петров <ivan.petrov@example.kz>\nDate: Thu, 19 Mar 2026\n"
            "Subject: удалите мои данные\n\nПрошу удалить мои персональные данные.\n"
        ),
    )

    parsed = parse_message(raw)

    assert parsed.sender_email == "ivan.petrov@example.kz"
    assert parsed.forwarded_by == "info@example.org"
    assert parsed.body == "Прошу удалить мои персональные данные."


@pytest.mark.parametrize("charset", ["windows-1251", "koi8-r", "utf-8"])
def test_rfc2047_headers_and_bodies_in_each_charset(charset):
    raw = letter(
        sender="Жанна Ахметова <zh@example.kz>",
        subject="Отзыв согласия на рассылку",
        body="Прошу отозвать моё согласие.",
        charset=charset,
    )
    assert f"=?{charset}?".encode() in raw.lower() or charset == "utf-8"

    parsed = parse_message(raw)

    assert parsed.sender_name == "Жанна Ахметова"
    assert parsed.subject_line == "Отзыв согласия на рассылку"
    assert parsed.body == "Прошу отозвать моё согласие."


def test_an_html_only_letter_becomes_text():
    raw = letter(
        html=(
            "<html><head><style>p {color: red}</style></head><body><div>Здравствуйте!</div>"
            "<div><br></div><p>Прошу <b>удалить</b>&nbsp;мои данные.</p><script>x()</script>"
            "<div>С уважением,<br>Ким Асель Маратовна</div></body></html>"
        )
    )

    parsed = parse_message(raw)

    assert parsed.body == (
        "Здравствуйте!\n\nПрошу удалить мои данные.\n\nС уважением,\nКим Асель Маратовна"
    )


def test_html_to_text_keeps_blocks_and_drops_scripts():
    assert (
        html_to_text("<p>a</p><ul><li>b</li><li>c</li></ul><script>alert(1)</script>")
        == "a\n\nb\n\nc"
    )


def test_a_letter_without_a_sender_is_unreadable():
    with pytest.raises(UnreadableMessageError):
        parse_message(b"Subject: hello\r\n\r\nno sender here\r\n")
    with pytest.raises(UnreadableMessageError):
        parse_message(b"")
    with pytest.raises(UnreadableMessageError):
        parse_message(b"\x00\x01\x02 not an e-mail at all")


def test_card_numbers_are_masked_in_text_subject_attachments_and_the_stored_message():
    raw = letter(
        subject="Карта 4111 1111 1111 1111",
        body="Верните деньги на карту 5500-0000-0000-0004, пожалуйста. Телефон 8 701 000 00 07.",
        attachments=(
            ("заявление.txt", "text/plain; charset=utf-8", "Карта 4111111111111111".encode()),
        ),
    )

    parsed = parse_message(raw)

    assert parsed.card_numbers_masked
    assert "****-****-****-0004" in parsed.body
    assert "8 701 000 00 07" in parsed.body  # a phone is no card
    assert parsed.subject_line == "Карта **** **** **** 1111"
    stored = message_from_bytes(parsed.raw, policy=policy.default)
    texts = [part.get_content() for part in stored.walk() if part.get_content_maintype() == "text"]
    assert texts
    assert not any(contains_card_number(text) for text in texts)
    assert not contains_card_number(str(stored["Subject"]))


def test_masking_keeps_the_last_four_digits_and_leaves_other_numbers():
    assert mask_card_numbers("card 4111111111111111 and IIN 900101300123") == (
        "card ************1111 and IIN 900101300123",
        1,
    )
    assert mask_card_numbers_in_bytes(b"x 4111 1111 1111 1111 y") == (b"x **** **** **** 1111 y", 1)


def test_a_message_without_message_id_is_identified_by_what_it_says():
    raw = letter(message_id=None)
    # The same letter as a mail store keeps it: a header added, LF line endings, a blank line.
    stored = b"Return-Path: <asel.kim@example.kz>\r\n" + raw.replace(b"\r\n", b"\n") + b"\n"

    assert parse_message(raw).digest == message_digest(message_id="", raw=raw)
    assert parse_message(stored).digest == parse_message(raw).digest
    assert parse_message(letter(message_id=None, body="Другой")).digest != parse_message(raw).digest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Смирнов Олег Петрович", Name("Смирнов", "Олег", "Петрович")),
        ("Олег Петрович Смирнов", Name("Смирнов", "Олег", "Петрович")),
        ("Омарова Айгүл Серікқызы", Name("Омарова", "Айгүл", "Серікқызы")),
        ("Омарова Айгүл Серік қызы", Name("Омарова", "Айгүл", "Серік қызы")),
        ("Айгүл Омарова", Name("Омарова", "Айгүл", "")),
        ("Омарова Айгүл", Name("Омарова", "Айгүл", "")),
        ("Daniel Kim", Name("Kim", "Daniel", "")),
        ("О. П. Смирнов", Name("Смирнов", "", "")),
        ("support team 24/7", Name()),
    ],
)
def test_names_are_split_by_their_endings(text, expected):
    assert split_name(text) == expected


def test_a_labelled_full_name_wins_over_the_display_name_and_the_signature_fills_gaps():
    body = "Прошу удалить.\nФИО: Смирнов Олег Петрович\n\nС уважением,\nО. П. Смирнов"
    assert guess_name(display_name="Oleg", body=body) == Name("Смирнов", "Олег", "Петрович")

    body = "Please delete my data.\n\nBest regards,\nDaniel Kim"
    assert guess_name(display_name="", body=body) == Name("Kim", "Daniel", "")


@pytest.mark.parametrize(
    ("name", "kind", "language"),
    [
        ("access_request_kk.eml", "access", "kk"),
        ("erasure_request_ru.eml", "erasure", "ru"),
        ("withdrawal_request_en.eml", "withdrawal", "en"),
    ],
)
def test_samples_get_their_kind_and_language(name, kind, language):
    parsed = parse_message(sample(name))
    text = f"{parsed.subject_line}\n{parsed.body}"

    assert suggest_kind(subject_line=parsed.subject_line, body=parsed.body) == kind
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("subject", "body", "kind"),
    [
        ("", "Прошу исправить мою фамилию в вашей базе.", "rectification"),
        ("", "Менің деректерімді түзетуіңізді сұраймын.", "rectification"),
        ("Block my data", "Please restrict the processing of my data.", "blocking"),
        ("", "Прошу заблокировать обработку моих данных.", "blocking"),
        ("", "Прошу разблокировать мои данные.", "unblocking"),
        ("", "Менің деректерімді жоюыңызды сұраймын.", "erasure"),
        ("", "I withdraw all my consents.", "withdrawal_all"),
        ("", "Отзываю все мои согласия на обработку данных.", "withdrawal_all"),
        ("Unsubscribe", "Stop sending me the newsletter.", "unsubscribe"),
        ("", "Таратылымнан шығаруыңызды сұраймын.", "unsubscribe"),
        ("Жалоба", "Мои данные утекли, это нарушение закона.", "complaint"),
        ("", "Шағым: деректерім рұқсатсыз таратылды.", "complaint"),
        ("Hello", "When is your next event?", "other"),
    ],
)
def test_kinds_are_suggested_from_kazakh_russian_and_english_wording(subject, body, kind):
    assert suggest_kind(subject_line=subject, body=body) == kind


@pytest.mark.parametrize(
    ("subject", "body", "kind"),
    [
        # «көшірме» (a copy) holds «өшір» (erase) inside it: a copy is asked for, not erasure.
        ("", "Деректерімнің көшірмесін беруіңізді сұраймын.", "access"),
        ("", "Прошу снять блокировку с моих данных.", "unblocking"),
        ("", "Please lift the restriction on my data.", "unblocking"),
        ("", "Отзываю согласие на рекламу, остальное оставьте.", "withdrawal"),
        ("", "Отзываю согласие в полном объёме.", "withdrawal_all"),
        ("Не удаляйте", "Не удаляйте мои данные, просто уберите меня из рассылки.", "unsubscribe"),
        ("", "Деректерімді жоймаңыз, тек таратылымнан шығарыңыз.", "unsubscribe"),
        ("", "Don't delete my data, just withdraw my consent to profiling.", "withdrawal"),
        ("", "Хочу подписаться на вашу рассылку.", "other"),
        ("", "барлык келисимдеримди кери кайтарамын", "withdrawal_all"),  # Russian keyboard
    ],
)
def test_kinds_match_words_and_stems_not_substrings_and_respect_negation(subject, body, kind):
    assert suggest_kind(subject_line=subject, body=body) == kind

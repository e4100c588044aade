"""Every admin page speaks the reader's language: no English word on a kk or ru page.

Pages come from tests/security/admin_urls.py (every URL the admin site answers, one real object
behind each). What a page shows is its text and the words of its titles and placeholders; the
data the test itself wrote (factories' English test values) and proper names and codes are
allowed. Everything else in Latin letters is an English word the catalogs left untranslated.
"""

import re
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.two_factor import enrolment_device, totp_secret_base32
from consents.models import Purpose
from tests.security.admin_urls import admin_pages, one_of_each

# Views not read: the password form's "done" page and logout say nothing new; jsi18n is code.
SKIPPED_VIEWS = {"jsi18n", "password_change_done", "autocomplete"}

# Proper names, codes and formats: the same in every language.
ALLOWED = {
    # the product, its tools and the services it names
    "derbes", "django", "tilda", "mailchimp", "unisender", "brevo", "sendinblue", "sendpulse",
    "google", "forms", "microsoft", "windows", "authenticator", "freeotp", "aegis", "excel", "axes",
    # codes and formats
    "totp", "otp", "iin", "bin", "bic", "iban", "csv", "xlsx", "json", "html", "pdf", "eml",
    "utf", "kz", "kzt", "sha", "ip", "id", "uid", "uidvalidity", "message", "qr", "sms", "url",
    "e", "yyyy", "mm", "dd", "yymmdd", "hh", "kk", "ru", "en", "imap", "smtp", "dtd", "xml",
    "salt", "sso", "ldap", "http", "get", "post", "unix", "hex", "t0", "cookie",
    "formid", "tranid", "checkbox",  # Tilda's field names
    "single", "sing",  # "Single Sign-On" beside its Russian explanation (Django's ru)
    "unknown",  # axes stores "<unknown>" for a header the browser did not send: data
    "actions", "patronymic", "missing", "representative",  # answer templates' variables
    "egov",  # the e-government portal, named as it is
    # keys and networks, named as they are
    "control", "command", "mac", "telegram", "whatsapp", "instagram", "facebook", "vk", "linkedin",
}  # fmt: skip

CODE_TAGS = {"script", "style", "template", "bdi", "code"}
# HTTP header names, named as they are.
HEADER_NAMES = ("User Agent", "HTTP Accept")
# A word of Latin letters; one with "_" or digits is a code (a template variable, a hash, an id).
CODE = re.compile(r"[_0-9]")
WORD = re.compile(r"[A-Za-z0-9_'’]*[A-Za-z][A-Za-z0-9_'’]*")


@pytest.fixture(autouse=True)
def _language_restored():
    """Pages asked for in kk or ru leave that language active in this thread: put it back."""
    with translation.override(translation.get_language()):
        yield


class _Text(HTMLParser):
    """The words a reader sees: text outside scripts and styles, titles and placeholders."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # bdi: a value (the password hash); code: names of columns, commands
        if tag in CODE_TAGS:
            self._hidden += 1
        for name, value in attrs:
            # Not alt: Django's own icons carry fixed English alt texts ("True", "Search").
            if name in {"title", "placeholder", "aria-label"} and value:
                self.parts.append(value)
            if (
                tag == "input"
                and name == "value"
                and dict(attrs).get("type") in {"submit", "button"}
            ):
                self.parts.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in CODE_TAGS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def english_words(
    html: str, allowed: set[str], seen_in: dict[str, str] | None = None
) -> Counter[str]:
    """The English words of a page, counted; `seen_in` gets the text each was first seen in."""
    parser = _Text()
    parser.feed(html)
    words: Counter[str] = Counter()
    for part in parser.parts:
        for header in HEADER_NAMES:
            part = part.replace(header, "")
        for word in (w.strip("'’") for w in WORD.findall(part)):
            if len(word) > 1 and not CODE.search(word) and word.lower() not in allowed:
                words[word] += 1
                if seen_in is not None:
                    seen_in.setdefault(word, " ".join(part.split())[:80])
    return words


def _written_by_the_test(rows: dict) -> set[str]:
    """Words of the values the factories wrote (test data, not interface)."""
    from django.db import models

    words: set[str] = set()
    for obj in rows.values():
        if obj is None:
            continue
        for field in obj._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                words.update(
                    w.lower() for w in WORD.findall(str(getattr(obj, field.attname) or ""))
                )
    return words


def _english_data() -> set[str]:
    """Words of the seeded answer templates for subjects who write in English: data, in English
    on purpose, whatever the reader's language."""
    from requests.models import AnswerTemplate

    words: set[str] = set()
    for template in AnswerTemplate.objects.filter(language="en"):
        words.update(w.lower() for w in WORD.findall(template.subject_template))
    return words


# Still English, to be fixed (page: words).
KNOWN_LEFT: dict[tuple[str, str], set[str]] = {}


@pytest.fixture
def superuser_client(client, officer) -> object:
    officer.is_superuser = True
    officer.save()
    client.force_login(officer)
    return client


def _get_pages(rows: dict) -> Iterator[tuple[str, str, str, str]]:
    """(label, view, method, url) of every page to read: each admin URL (lists, forms,
    history, import, export, custom views), and each step of the request page."""
    from requests.admin.actions import ACTIONS
    from requests.models import SubjectRequest

    for page in admin_pages(rows):
        if page.refused or page.view in SKIPPED_VIEWS:
            continue
        label = page.model._meta.label_lower if page.model else ""
        yield label, page.view, "get", page.url
    request = rows[SubjectRequest]
    for name in ACTIONS:
        url = reverse("admin:requests_subjectrequest_act", args=[request.pk, name])
        yield "requests.subjectrequest", "act", "get", url


def _action_pages(rows: dict) -> Iterator[tuple[str, str, str, dict]]:
    """(label, view, changelist URL, POST data) of each list action: the page it answers with
    when it asks for a confirmation (an action done at once redirects and shows nothing)."""
    factory = RequestFactory()
    for model, model_admin in admin.site._registry.items():
        obj = rows.get(model)
        if obj is None:
            continue
        opts = model._meta
        request = factory.get("/")
        request.user = User.objects.get(username="officer")
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for name in model_admin.get_actions(request):
            data = {"action": name, "_selected_action": [obj.pk], "index": "0"}
            yield opts.label_lower, f"action:{name}", url, data


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_english_word_on_any_admin_page(superuser_client, officer, language):
    rows = one_of_each(officer)
    codes = {w.lower() for code in Purpose.objects.values_list("code", flat=True)
             for w in WORD.findall(code)}  # fmt: skip
    allowed = ALLOWED | codes | _written_by_the_test(rows) | {officer.username} | _english_data()
    found: dict[str, Counter[str]] = {}
    contexts: dict[str, list[str]] = {}

    def read(label: str, view: str, key: str, response) -> None:
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return
        seen_in: dict[str, str] = {}
        words = english_words(response.content.decode(), allowed, seen_in)
        left = KNOWN_LEFT.get((label, view), set())
        words = Counter({word: n for word, n in words.items() if word not in left})
        if words:
            found[key] = words
            contexts[key] = sorted(set(seen_in.values()))

    for label, view, _method, url in _get_pages(rows):
        read(label, view, url, superuser_client.get(url, HTTP_ACCEPT_LANGUAGE=language))
    # Actions last: one done at once changes its row (pages read before saw it as made).
    for label, view, url, data in _action_pages(rows):
        response = superuser_client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
        read(label, view, f"{url} {view}", response)

    report = "\n".join(
        f"{url}: {dict(words)} in {contexts[url]}" for url, words in sorted(found.items())
    )
    assert not found, f"English on {len(found)} {language} pages:\n{report}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_two_factor_pages_speak_the_readers_language(client, staff_user, settings, language):
    settings.OTP_REQUIRED = True
    client.force_login(staff_user)  # a password login, no device yet: enrolment

    for url in (reverse("admin:two_factor_enrol"), reverse("admin:two_factor_verify")):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
        # The secret, typed by hand in groups of four letters, is data.
        secret = totp_secret_base32(enrolment_device(user=staff_user)).lower().split()
        words = english_words(response.content.decode(), ALLOWED | {staff_user.username, *secret})

        assert response.status_code == 200
        assert not words, f"{url}: {dict(words)}"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "no_results"), [("kk", "Ештеңе табылмады"),
                                                      ("ru", "Совпадений не найдено")])  # fmt: skip
def test_the_search_as_you_type_pickers_speak_the_readers_language(superuser_client, language,
                                                                   no_results):  # fmt: skip
    page = superuser_client.get(reverse("admin:consents_consent_add"),
                                HTTP_ACCEPT_LANGUAGE=language).content.decode()  # fmt: skip

    script = f"admin/js/vendor/select2/i18n/{language}.js"
    assert f'lang="{language}"' in page
    assert script in page
    assert no_results in Path(finders.find(script)).read_text(encoding="utf-8")

"""Every admin page speaks the reader's language: no English word on a kk or ru page.

Pages come from tests/security/admin_urls.py (every URL the admin site answers, one real object
behind each). What a page shows is its text and the words of its titles and placeholders; the
data the test itself wrote (factories' English test values) and proper names and codes are
allowed. Everything else in Latin letters is an English word the catalogs left untranslated.
"""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.utils import translation

from consents.models import Purpose
from tests.security.admin_urls import admin_pages, one_of_each

# Views whose pages are rendered HTML (not files, JSON or redirects).
VIEWS = {"changelist", "add", "change", "history", "history_version", "app_list", "index",
         "password_change"}  # fmt: skip

# Proper names, codes and formats: the same in every language.
ALLOWED = {
    # the product, its tools and the services it names
    "derbes", "django", "tilda", "mailchimp", "unisender", "brevo", "sendinblue", "sendpulse",
    "google", "forms", "microsoft", "authenticator", "freeotp", "aegis", "excel", "axes",
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
        if tag in {"script", "style", "template", "bdi"}:  # bdi: a value (the password hash)
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
        if tag in {"script", "style", "template", "bdi"} and self._hidden:
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
        for word in WORD.findall(part):
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


# Still English, to be fixed (page: words).
KNOWN_LEFT: dict[tuple[str, str], set[str]] = {
    # The English answer template's subject (for subjects who write in English): data.
    ("requests.answertemplate", "changelist"): {"we", "need", "few", "details"},
    # Where agreement data was shown, stored as a code ("admin change page").
    ("subjects.agreementdataaccess", "changelist"): {"change", "page"},
    # History reasons written by services in English, with parameters (not a msgid as such).
    ("incidents.affectedsubject", "history"): {"Affected", "subjects", "added", "incident"},
    ("webforms.tildasubmission", "history"): {"mapping"},
    # simple-history's "Change reason: None" on the change page of models shown read-only.
    ("imports.importrun", "change"): {"Change", "reason", "None"},
    ("incidents.affectedsubject", "change"): {"Change", "reason", "None"},
}


@pytest.fixture
def superuser_client(client, officer) -> object:
    officer.is_superuser = True
    officer.save()
    client.force_login(officer)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_english_word_on_any_admin_page(superuser_client, officer, language):
    rows = one_of_each(officer)
    codes = {w.lower() for code in Purpose.objects.values_list("code", flat=True)
             for w in WORD.findall(code)}  # fmt: skip
    allowed = ALLOWED | codes | _written_by_the_test(rows) | {officer.username}
    found: dict[str, Counter[str]] = {}
    contexts: dict[str, list[str]] = {}
    for page in admin_pages(rows):
        if page.view not in VIEWS or page.refused:
            continue
        response = superuser_client.get(page.url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        seen_in: dict[str, str] = {}
        words = english_words(response.content.decode(), allowed, seen_in)
        label = page.model._meta.label_lower if page.model else ""
        left = KNOWN_LEFT.get((label, page.view), set())
        words = Counter({word: n for word, n in words.items() if word not in left})
        if words:
            found[page.url] = words
            contexts[page.url] = sorted(set(seen_in.values()))

    report = "\n".join(
        f"{url}: {dict(words)} in {contexts[url]}" for url, words in sorted(found.items())
    )
    assert not found, f"English on {len(found)} {language} pages:\n{report}"

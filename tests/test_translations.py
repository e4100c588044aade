"""The translation catalogs: complete, not fuzzy, placeholders intact, and really used at run time.

locale/ holds the project's own strings (kept by makemessages); locale_vendor/ holds what the
project supplies for Django and the libraries that lack Kazakh (or, for a few strings, Russian).
The compiled .mo files are not committed, so the runtime checks compile them first.
"""

import re
from collections import Counter
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parent.parent
SITE_PACKAGES = Path(django.__file__).resolve().parent.parent

PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n!=1);",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
}

TRANSLATED = sorted(
    [
        *ROOT.glob("locale/kk/LC_MESSAGES/*.po"),
        *ROOT.glob("locale/ru/LC_MESSAGES/*.po"),
        *ROOT.glob("locale_vendor/*/LC_MESSAGES/*.po"),
    ]
)
ALL_CATALOGS = sorted([*ROOT.glob("locale/*/LC_MESSAGES/*.po"), *TRANSLATED])

# %(name)s, %s, %d, %% ... and {name}, {}.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcoua%]|\{\w*\}")


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _language(path: Path) -> str:
    return path.parent.parent.name


def _entries(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def _runtime_key(entry: polib.POEntry) -> str | tuple[str, int]:
    """The key of the entry in a compiled catalog: context joined by \\x04, plurals by form."""
    msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    return (msgid, 0) if entry.msgid_plural else msgid


def _catalog_keys(path: Path) -> list[str | tuple[str, int]]:
    return [_runtime_key(e) for e in _entries(path) if e.msgid]


# ---------------------------------------------------------------------------------------------
# The .po files as text


def test_catalogs_exist():
    for language in ("kk", "ru", "en"):
        assert (ROOT / f"locale/{language}/LC_MESSAGES/django.po").is_file()
    assert (ROOT / "locale_vendor/kk/LC_MESSAGES/django.po").is_file()
    assert (ROOT / "locale_vendor/kk/LC_MESSAGES/djangojs.po").is_file()
    assert (ROOT / "locale_vendor/ru/LC_MESSAGES/django.po").is_file()


@pytest.mark.parametrize("path", TRANSLATED, ids=_id)
def test_every_entry_is_translated(path: Path):
    untranslated = [
        e.msgid
        for e in _entries(path)
        if (e.msgid_plural and not all(e.msgstr_plural.values()))
        or (not e.msgid_plural and not e.msgstr)
    ]
    assert untranslated == []


@pytest.mark.parametrize("path", ALL_CATALOGS, ids=_id)
def test_nothing_is_fuzzy(path: Path):
    catalog = polib.pofile(str(path))
    assert not catalog.metadata_is_fuzzy
    assert [e.msgid for e in catalog if "fuzzy" in e.flags and not e.obsolete] == []


@pytest.mark.parametrize("path", TRANSLATED, ids=_id)
def test_plural_forms_header_and_count(path: Path):
    language = _language(path)
    catalog = polib.pofile(str(path))
    assert catalog.metadata["Language"] == language
    assert catalog.metadata["Plural-Forms"] == PLURAL_FORMS[language]
    found = re.search(r"nplurals=(\d+)", PLURAL_FORMS[language])
    assert found is not None
    nplurals = int(found.group(1))
    wrong = [e.msgid for e in catalog if e.msgid_plural and len(e.msgstr_plural) != nplurals]
    assert wrong == []


@pytest.mark.parametrize("path", TRANSLATED, ids=_id)
def test_placeholders_match(path: Path):
    mismatched = []
    for entry in _entries(path):
        if entry.msgid_plural:
            # Form 0 may stand for 1, 21, 31... so every form keeps the plural's placeholders.
            expected = _placeholders(entry.msgid_plural)
            translations = list(entry.msgstr_plural.values())
        else:
            expected = _placeholders(entry.msgid)
            translations = [entry.msgstr]
        for text in translations:
            if _placeholders(text) != expected:
                mismatched.append((entry.msgid, text))
    assert mismatched == []


def test_project_catalogs_hold_the_same_messages():
    """makemessages ran for every language: kk, ru and en list the same msgids."""
    keys = {
        language: set(_catalog_keys(ROOT / f"locale/{language}/LC_MESSAGES/django.po"))
        for language in ("kk", "ru", "en")
    }
    assert keys["kk"] == keys["ru"] == keys["en"]


def test_english_catalog_leaves_the_source_text():
    """English is the source language: empty msgstr, so Django shows the msgid itself."""
    filled = [e.msgid for e in _entries(ROOT / "locale/en/LC_MESSAGES/django.po") if e.translated()]
    assert filled == []


# ---------------------------------------------------------------------------------------------
# Run time: the compiled catalogs, as Django merges them


def test_locale_paths_put_the_project_first_then_vendor():
    assert [Path(p) for p in settings.LOCALE_PATHS] == [ROOT / "locale", ROOT / "locale_vendor"]


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs():
    """Compile every catalog (the .mo files are not committed) and drop Django's cached ones."""
    call_command("compilemessages", ignore_patterns=[".venv/*", "var/*"], verbosity=0)
    trans_real._translations = {}
    trans_real._default = None
    yield
    trans_real._translations = {}
    trans_real._default = None


# The message ids below are data, never literal arguments of gettext(): makemessages scans tests/
# too, and would otherwise copy Django's and the libraries' msgids into the project's catalogs.
# Each case: (context or None, msgid, plural or None, {language: expected text}).
RUNTIME_CASES = {
    "project": [
        (
            None,
            "Data subjects",
            None,
            {
                "kk": "Дербес деректер субъектілері",
                "ru": "Субъекты персональных данных",
                "en": "Data subjects",
            },
        ),
        (
            None,
            "Withdrawal of consent",
            None,
            {"kk": "Келісімді кері қайтарып алу", "ru": "Отзыв согласия"},
        ),
    ],
    "django admin": [
        (None, "Log out", None, {"kk": "Шығу", "ru": "Выйти", "en": "Log out"}),
        (None, "History", None, {"kk": "Тарих", "ru": "История"}),
        (None, "Delete", None, {"kk": "Өшіру", "ru": "Удалить"}),
        (None, "Change password", None, {"kk": "Құпиясөзді өзгерту", "ru": "Изменить пароль"}),
        ("abbrev. month", "Sept.", None, {"kk": "Қыр.", "ru": "Сен."}),
        (
            None,
            "%(counter)s result",
            "%(counter)s results",
            {"kk": "5 нәтиже", "ru": "5 результатов"},
        ),
    ],
    "simple_history": [
        (None, "Change History", None, {"kk": "Тарихты өзгерту", "ru": "Изменить историю"}),
        (None, "Revert", None, {"kk": "Қалпына келтіру", "ru": "Восстановить", "en": "Revert"}),
        (None, "Changed by", None, {"kk": "Кім өзгертті", "ru": "Кем изменено"}),
        (None, "Created", None, {"kk": "Құрылды", "ru": "Создано"}),  # history_type "+"
    ],
    "import_export": [
        (None, "Export", None, {"kk": "Экспорт", "ru": "Экспорт", "en": "Export"}),
        (None, "Confirm import", None, {"kk": "Импортты растау", "ru": "Подтвердить импорт"}),
    ],
}


def _translate(context: str | None, msgid: str, plural: str | None) -> str:
    if plural:
        return translation.ngettext(msgid, plural, 5) % {"counter": 5}
    if context:
        return translation.pgettext(context, msgid)
    return translation.gettext(msgid)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("source", sorted(RUNTIME_CASES))
def test_runtime_strings(source: str, language: str):
    cases = [case for case in RUNTIME_CASES[source] if language in case[3]]  # type: ignore[attr-defined]
    with translation.override(language):
        got = [_translate(context, msgid, plural) for context, msgid, plural, _ in cases]
    assert got == [expected[language] for *_, expected in cases]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "дербес деректер субъектілері"), ("ru", "субъекты персональных данных")],
)
def test_model_names(language: str, expected: str):
    from subjects.models import Subject

    with translation.override(language):
        assert str(Subject._meta.verbose_name_plural) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", {"DE": "Германия", "KZ": "Қазақстан", "PS": "Палестина", "GB": "Ұлыбритания"}),
        ("ru", {"DE": "Германия", "KZ": "Казахстан", "PS": "Палестина", "GB": "Великобритания"}),
    ],
)
def test_country_names(language: str, expected: dict[str, str]):
    from django_countries import countries

    with translation.override(language):
        names = dict(countries)
    assert {code: str(names[code]) for code in expected} == expected


def test_admin_javascript_catalog_in_kazakh():
    admin_locale = SITE_PACKAGES / "django/contrib/admin/locale"
    js = trans_real.DjangoTranslation("kk", domain="djangojs", localedirs=[str(admin_locale)])
    cases = [(None, "Today", "Бүгін"), (None, "Available %s", "Қолжетімді %s"),
             ("one letter Monday", "M", "Д")]  # fmt: skip
    got = [js.pgettext(ctx, msgid) if ctx else js.gettext(msgid) for ctx, msgid, _ in cases]
    assert got == [expected for *_, expected in cases]


def _library_keys(*relative: str) -> set[str | tuple[str, int]]:
    return {key for path in relative for key in _catalog_keys(SITE_PACKAGES / path)}


def test_kazakh_covers_django_and_the_libraries():
    """Every message of Django's installed apps and of the libraries has a Kazakh translation."""
    wanted = _library_keys(
        "django/conf/locale/en/LC_MESSAGES/django.po",
        "django/contrib/admin/locale/en/LC_MESSAGES/django.po",
        "django/contrib/auth/locale/en/LC_MESSAGES/django.po",
        "django/contrib/contenttypes/locale/en/LC_MESSAGES/django.po",
        "django/contrib/sessions/locale/en/LC_MESSAGES/django.po",
        "simple_history/locale/ru_RU/LC_MESSAGES/django.po",
        "import_export/locale/ru/LC_MESSAGES/django.po",
        "django_countries/locale/en/LC_MESSAGES/django.po",
    )
    catalog = trans_real.translation("kk")._catalog
    assert sorted(str(key) for key in wanted if key not in catalog) == []


def test_no_kazakh_leaks_into_russian():
    """Russian falls back to LANGUAGE_CODE (kk) for what it lacks: it must lack nothing we have."""
    kazakh = {
        key
        for path in [
            *ROOT.glob("locale/kk/LC_MESSAGES/django.po"),
            *ROOT.glob("locale_vendor/kk/LC_MESSAGES/django.po"),
        ]
        for key in _catalog_keys(path)
    }
    catalog = trans_real.translation("ru")._catalog
    assert sorted(str(key) for key in kazakh if key not in catalog) == []

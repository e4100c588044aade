"""Lists fit a laptop screen: every changelist at 1366×768 scrolls down, never sideways."""

from django.contrib import admin
from django.urls import reverse

from requests.models import SubjectRequest
from subjects.models import Subject
from tests.browser.conftest import WIDTH
from tests.security.admin_urls import one_of_each

# Where the back-office's own registers live (Django's, axes' and django-otp's lists are theirs).
APPS = {"subjects", "consents", "requests", "processors", "incidents", "imports", "erasure",
        "webforms", "organisation", "common"}  # fmt: skip
LANGUAGES = ("kk", "ru", "en")
SHOWN = {Subject, SubjectRequest}  # shots of the widest lists, to see how they wrap
# The page's width, and the list's own: Django's admin lets a wide table scroll in its box
# (.results has overflow-x: auto), which hides a too-wide list from the page's width.
WIDEST = """(() => {
    const page = document.documentElement;
    const lists = document.querySelectorAll('#changelist .results');
    return Math.max(page.scrollWidth,
        ...Array.from(lists, box => box.scrollWidth - box.clientWidth + page.clientWidth));
})()"""


def test_every_register_list_fits_1366_pixels(officer_page, officer, shot):
    page = officer_page
    officer.is_superuser = True
    officer.save()
    one_of_each(officer)  # a row in every list, with its longest columns filled
    too_wide = {}
    for language in LANGUAGES:  # Kazakh and Russian words are longer than English ones
        page.get_by_role("button", name=language.upper()).click()
        for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
            if model._meta.app_label not in APPS:
                continue
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            page.goto(url)
            width = page.evaluate(WIDEST)
            if model in SHOWN and language == "kk":
                shot(f"kk-{model._meta.label_lower}")
            if width > WIDTH:
                too_wide[f"{language} {model._meta.label}"] = width
                shot(f"too-wide-{language}-{model._meta.label_lower}")

    assert too_wide == {}

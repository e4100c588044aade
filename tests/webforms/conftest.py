"""Tilda webhook fixtures: a mapped volunteer form, and posting bodies the way Tilda does.

Bodies under data/ imitate Tilda's "Webhook" integration as its help describes it
(help-ru.tilda.cc/formsscript): application/x-www-form-urlencoded, the form's own field names
(defaults Name, Email, Phone, Checkbox; a ticked checkbox is "yes", an unticked one is absent),
plus tranid, formid, formname, COOKIES and utm_* fields; "test=test" when the URL is saved; payment
forms add "payment" holding JSON (its keys as public integration code shows them, not Tilda's
page). The values are invented.
"""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from common.history import save_with_history
from consents.models import DocumentKind, PolicyVersion, Purpose
from consents.services import policy_version_publish
from webforms.models import TildaConsentBox, TildaForm, TildaSubmission

DATA = Path(__file__).parent / "data"
SECRET = "test-only-tilda-secret-new"  # config.settings.test
OLD_SECRET = "test-only-tilda-secret-old"
FORM_ENCODED = "application/x-www-form-urlencoded"


def body(name: str) -> bytes:
    return (DATA / name).read_bytes()


def hook_url(secret: str = SECRET) -> str:
    return reverse("tilda_webhook", args=[secret])


def post(client: Client, raw: bytes, *, secret: str = SECRET, **headers: str):
    """POST `raw` as Tilda does: no cookies, no CSRF token."""
    return client.post(hook_url(secret), data=raw, content_type=FORM_ENCODED, headers=headers)


def process_again(client: Client, *submissions: TildaSubmission):
    """The submissions' list action "process again", as staff run it."""
    return client.post(
        reverse("admin:webforms_tildasubmission_changelist"),
        {"action": "process_again", "_selected_action": [s.pk for s in submissions]},
    )


@pytest.fixture
def tilda():
    """A client that enforces CSRF checks, as a real visitor without a token would meet them."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def consent_text(db) -> PolicyVersion:
    return policy_version_publish(
        kind=DocumentKind.FORM_CONSENT,
        version_label="form-2025-1",
        actor=None,
        reason="Published",
        text_kk="Дербес деректерімді өңдеуге келісім беремін.",
        text_ru="Я даю согласие на обработку моих персональных данных.",
    )


def make_form(formid: str, consent_text: PolicyVersion | None, **boxes: str) -> TildaForm:
    """A mapping as the privacy officer enters it; `boxes`: checkbox field -> purpose code."""
    form = TildaForm(
        formid=formid, name_kk="Еріктілерді тіркеу", name_ru="Регистрация волонтёров",
        name_en="Volunteer registration", language="kk", policy_version=consent_text,
    )  # fmt: skip
    form.full_clean()
    save_with_history(form, actor=None, reason="test mapping")
    for field, code in boxes.items():
        box = TildaConsentBox(form=form, field=field, purpose=Purpose.objects.get(code=code))
        save_with_history(box, actor=None, reason="test mapping")
    return form


@pytest.fixture
def volunteer_form(consent_text) -> TildaForm:
    """form612345678: "Checkbox" consents to feedback, "newsletter" to the newsletter."""
    return make_form("form612345678", consent_text, Checkbox="feedback", newsletter="newsletter")

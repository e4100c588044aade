"""The notice to the authorised body, in Kazakh and Russian, holds every item the rules list.

Law 94-V Art. 25(2)(8) and the rules of notification (Order No. 481/НҚ of 9 August 2024): the
operator, the responsible person and contacts, the time of detection, what happened, the
categories, the number of subjects, the measures taken, and the list of subjects to notify.
"""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from common.personal_data import DataCategory
from common.workdays import ALMATY
from incidents.services import incident_measure_add
from tests.incidents.factories import incident_open
from tests.organisation.factories import OperatorProfileFactory
from tests.processors.factories import ProcessorFactory
from tests.subjects.factories import SubjectFactory

pytestmark = pytest.mark.django_db

HEADINGS = (
    "Notice of a breach of personal data security",
    "Operator",
    "BIN",
    "Operator's address",
    "Person responsible for organising the processing of personal data",
    "Their contacts",
    "Breach detected at",
    "Kind of breach",
    "Description",
    "Categories of personal data affected",
    "Number of data subjects affected",
    "Measures taken to remove the breach",
    "List of the data subjects to be notified, with last name, first name, patronymic (if any), "
    "IIN and mobile phone number.",
)


@pytest.fixture
def incident(officer):
    OperatorProfileFactory(
        name_kk="«Демо» қоғамдық қоры", name_ru="Общественный фонд «Демо»",
        address_kk="Алматы қ., Демо көшесі, 1", address_ru="г. Алматы, ул. Демо, 1",
        responsible_person="Әлиева Дана Бекқызы", responsible_person_email="dpo@example.org",
        responsible_person_phone="+7 727 000 00 00",
        authority_address_kk="Астана қ., Мәңгілік Ел даңғ., 55/14",
        authority_address_ru="г. Астана, пр. Мангилик Ел, 55/14",
    )  # fmt: skip
    incident = incident_open(
        actor=officer,
        detected_at=datetime(2026, 11, 13, 14, 30, tzinfo=ALMATY),
        description="Резервная копия базы рассылки была доступна из интернета.",
        data_categories=[DataCategory.NAME, DataCategory.PHONE, DataCategory.IDENTIFIER],
        subjects=SubjectFactory.create_batch(3),
    )
    incident.processors.set([ProcessorFactory(legal_name="Demo Hosting LLP")])
    incident_measure_add(
        incident=incident, actor=officer, description="Доступ к копии закрыт, ключи заменены.",
        taken_at=datetime(2026, 11, 13, 15, 10, tzinfo=ALMATY),
    )  # fmt: skip
    return incident


@pytest.mark.parametrize(
    ("language", "operator", "address", "authority", "authority_address", "detected"),
    [
        ("kk", "«Демо» қоғамдық қоры", "Алматы қ., Демо көшесі, 1", "Жасанды интеллект",
         "Астана қ., Мәңгілік Ел даңғ., 55/14", "14:30"),
        ("ru", "Общественный фонд «Демо»", "г. Алматы, ул. Демо, 1",
         "Министерство искусственного интеллекта", "г. Астана, пр. Мангилик Ел, 55/14", "14:30"),
    ],
)  # fmt: skip
def test_the_notice_holds_every_item_of_the_rules(
    client, officer, incident, language, operator, address, authority, authority_address,
    detected,
):  # fmt: skip
    client.force_login(officer)

    page = client.get(
        reverse("admin:incidents_incident_notice", args=[incident.pk, language])
    ).content.decode()

    assert f'<html lang="{language}">' in page
    for item in (
        operator, address, "123456789012", authority, authority_address, "Әлиева Дана Бекқызы",
        "+7 727 000 00 00, dpo@example.org", "13.11.2026", detected,
        "Резервная копия базы рассылки", "Demo Hosting LLP", "Доступ к копии закрыт",
        "15:10",
    ):  # fmt: skip
        assert item in page, item
    with translation.override(language):
        for heading in HEADINGS:
            translated = gettext(heading)
            assert translated != heading, f"{heading!r} has no {language} translation"
            assert translated.replace("'", "&#x27;") in page, translated
        for category in (DataCategory.NAME, DataCategory.PHONE, DataCategory.IDENTIFIER):
            assert str(category.label) in page
        assert str(incident.get_kind_display()) in page
    count_row = page.split(gettext_in(language, "Number of data subjects affected"))[1]
    assert count_row.split("</tr>")[0].count("3") == 1


def gettext_in(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def test_an_erased_subject_stays_in_the_count_and_leaves_the_list(client, officer, incident):
    from erasure.services import subject_erase

    subject_erase(subject=incident.subjects.first(), actor=officer, reason="Request")
    client.force_login(officer)

    page = client.get(
        reverse("admin:incidents_incident_notice", args=[incident.pk, "ru"])
    ).content.decode()

    count = page.split(gettext_in("ru", "Number of data subjects affected"))[1].split("</tr>")[0]
    listed = page.split(gettext_in("ru", "Persons on the list"))[1].split("</p>")[0]
    assert "3" in count
    assert "2" in listed

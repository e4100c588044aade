import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django_countries import countries
from openpyxl import load_workbook

from common.history import save_with_history
from common.personal_data import DataCategory
from consents.models import LegalBasis, Purpose
from processors.models import Processor
from subjects.models import Subject
from tests.consents.factories import purpose
from tests.organisation.factories import OperatorProfileFactory
from tests.processors.factories import ProcessorFactory

PERSONAL_DATA = reverse("admin:processors_register", args=["personal-data"])
PROCESSING = reverse("admin:processors_register", args=["processing"])
PERSONAL_DATA_XLSX = reverse("admin:processors_register_xlsx", args=["personal-data"])
PROCESSING_XLSX = reverse("admin:processors_register_xlsx", args=["processing"])


def _in(language: str, text) -> str:
    """A source string or a lazy label as the page in `language` shows it."""
    with translation.override(language):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def _table(sheet) -> list[list]:
    """The rows under the column headings (row 6: title, operator, BIN, date, blank before)."""
    return [list(row) for row in sheet.iter_rows(min_row=7, values_only=True)]


@pytest.fixture
def operator(db):
    return OperatorProfileFactory(name_kk="«Демо» қоры", name_ru="Фонд «Демо»", bin="123456789012")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_list_of_personal_data_renders_in_the_chosen_language(
    officer_client, operator, language
):
    # Given a processor that receives e-mail addresses for the newsletter
    ProcessorFactory(legal_name="Mailer Inc.", data_categories=["email"], purposes=[purpose()])

    # When the list is opened in the language
    response = officer_client.get(PERSONAL_DATA, {"lang": language})

    # Then the categories, the fields that hold them and the operator are in that language
    content = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in content
    assert response["Content-Language"] == language
    for category in DataCategory:
        assert _in(language, category.label) in content
    with translation.override(language):
        meta = Subject._meta
        holder = f"{capfirst(meta.verbose_name)}: {meta.get_field('email').verbose_name}"
    assert holder in content
    assert (operator.name_kk if language == "kk" else operator.name_ru) in content
    assert "123456789012" in content
    assert "Mailer Inc." in content


@pytest.mark.django_db
def test_the_two_languages_differ(officer_client, operator):
    kk = officer_client.get(PERSONAL_DATA, {"lang": "kk"}).content.decode()
    ru = officer_client.get(PERSONAL_DATA, {"lang": "ru"}).content.decode()

    assert _in("kk", DataCategory.NAME.label) in kk
    assert _in("kk", DataCategory.NAME.label) not in ru
    assert _in("ru", DataCategory.NAME.label) in ru


@pytest.mark.django_db
def test_the_list_defaults_to_kazakh(officer_client, operator):
    content = officer_client.get(PERSONAL_DATA).content.decode()

    assert '<html lang="kk">' in content
    assert _in("kk", DataCategory.PHONE.label) in content


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PERSONAL_DATA, PROCESSING, PERSONAL_DATA_XLSX, PROCESSING_XLSX])
def test_another_language_is_a_bad_request(officer_client, url):
    assert officer_client.get(url, {"lang": "xx"}).status_code == 400


@pytest.mark.django_db
def test_an_unknown_register_is_not_found(officer_client):
    url = reverse("admin:processors_register", args=["nonsense"])

    assert officer_client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_register_of_processing_lists_active_purposes_with_processors_and_retention(
    officer_client, operator, language
):
    # Given a newsletter served by a mailer abroad and a hosting at home
    newsletter = purpose("newsletter")
    ProcessorFactory(
        legal_name="Mailer Inc.",
        country="US",
        stores_data_in_kazakhstan=False,
        actions=["store", "use"],
        purposes=[newsletter],
    )
    ProcessorFactory(legal_name="Home Hosting LLP", purposes=[newsletter])

    # When the register is opened
    content = officer_client.get(PROCESSING, {"lang": language}).content.decode()

    # Then the purpose shows its name, basis, processors, countries abroad and retention
    assert getattr(newsletter, f"name_{language}") in content
    assert _in(language, LegalBasis(newsletter.legal_basis).label) in content
    assert "Mailer Inc." in content
    assert "Home Hosting LLP" in content
    assert _in(language, "data kept outside Kazakhstan") in content
    with translation.override(language):
        assert str(countries.name("US")) in content
    assert _in(language, "Until the purpose is achieved") in content


@pytest.mark.django_db
def test_the_register_leaves_out_ended_processors_and_inactive_purposes(officer_client):
    analytics = purpose("ad_analytics")
    analytics.is_active = False
    save_with_history(analytics, actor=None, reason="test")
    ProcessorFactory(
        legal_name="Gone LLP",
        active_to=timezone.localdate() - timedelta(days=1),
        purposes=[purpose("newsletter")],
    )

    content = officer_client.get(PROCESSING, {"lang": "ru"}).content.decode()

    assert "Gone LLP" not in content
    assert analytics.name_ru not in content
    assert purpose("newsletter").name_ru in content


@pytest.mark.django_db
def test_the_list_of_personal_data_as_xlsx_holds_a_row_per_category(officer_client, operator):
    ProcessorFactory(
        legal_name="Mailer Inc.", country="US", data_categories=["email"], purposes=[purpose()]
    )

    sheet = _sheet(officer_client.get(PERSONAL_DATA_XLSX, {"lang": "ru"}))

    assert sheet["A1"].value == _in("ru", "List of personal data")
    assert sheet["B2"].value == "Фонд «Демо»"
    assert sheet["B3"].value == "123456789012"
    rows = {row[0]: row for row in _table(sheet)}
    assert set(rows) == {_in("ru", category.label) for category in DataCategory}
    email = rows[_in("ru", DataCategory.EMAIL.label)]
    assert _in("ru", purpose().name_ru) in email[2]
    with translation.override("ru"):
        assert email[3] == f"Mailer Inc. ({countries.name('US')})"


@pytest.mark.django_db
def test_the_register_of_processing_as_xlsx_holds_a_row_per_active_purpose(officer_client):
    sheet = _sheet(officer_client.get(PROCESSING_XLSX, {"lang": "kk"}))

    names = [row[0] for row in _table(sheet)]
    assert names == [p.name_kk for p in Purpose.objects.filter(is_active=True)]


@pytest.mark.django_db
def test_a_formula_in_a_processor_name_is_escaped_in_the_xlsx(officer_client):
    # Given a processor whose name is a spreadsheet formula
    formula = '=HYPERLINK("http://evil.example","Click")'
    ProcessorFactory(legal_name=formula, data_categories=["photo"], purposes=[purpose()])

    # When both registers are downloaded
    listing = _sheet(officer_client.get(PERSONAL_DATA_XLSX, {"lang": "kk"}))
    register = _sheet(officer_client.get(PROCESSING_XLSX, {"lang": "kk"}))

    # Then no cell is a formula, and the name is kept as escaped text
    cells = [cell for sheet in (listing, register) for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    photo = {row[0]: row for row in _table(listing)}[_in("kk", DataCategory.PHOTO.label)]
    assert photo[3].startswith("'" + formula)
    assert any(str(c.value).startswith("'" + formula) for c in cells if c.column == 4)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PERSONAL_DATA, PROCESSING, PERSONAL_DATA_XLSX, PROCESSING_XLSX])
def test_the_auditor_can_read_the_registers(client, auditor, url):
    client.force_login(auditor)

    assert client.get(url, {"lang": "ru"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PERSONAL_DATA, PROCESSING, PERSONAL_DATA_XLSX, PROCESSING_XLSX])
def test_a_user_who_may_not_view_processors_is_refused(client, no_role_user, url):
    client.force_login(no_role_user)

    assert client.get(url, {"lang": "kk"}).status_code == 403


@pytest.mark.django_db
def test_the_processor_list_links_to_the_registers(officer_client):
    ProcessorFactory()

    content = officer_client.get(reverse("admin:processors_processor_changelist")).content
    content = content.decode()

    assert PERSONAL_DATA in content
    assert PROCESSING in content


@pytest.mark.django_db
def test_register_queries_do_not_grow_with_processors(officer_client, operator):
    ProcessorFactory(purposes=[purpose()])
    with CaptureQueriesContext(connection) as few:
        officer_client.get(PROCESSING)
    for _ in range(5):
        ProcessorFactory(purposes=list(Purpose.objects.all()))
    with CaptureQueriesContext(connection) as many:
        officer_client.get(PROCESSING)

    assert len(many) == len(few)
    assert Processor.objects.count() == 6


@pytest.mark.django_db
def test_a_purpose_kept_after_its_end_names_its_law_in_the_register_and_the_access_report(
    officer_client, operator, officer
):
    from requests.access_report import access_report
    from tests.consents.factories import ConsentFactory

    contracts = purpose("contracts")
    contracts.retention_days = 1825
    contracts.retention_law = "Tax Code of the Republic of Kazakhstan, Art. 48"
    save_with_history(contracts, actor=officer, reason="Tax records")
    consent = ConsentFactory(purpose=contracts)

    content = officer_client.get(PROCESSING, {"lang": "ru"}).content.decode()
    report = access_report(subject=consent.subject, language="en")

    assert "1825" in content
    assert "Tax Code of the Republic of Kazakhstan, Art. 48" in content
    [row] = report.retention
    assert "1825 days" in row["retention"]
    assert "as Tax Code of the Republic of Kazakhstan, Art. 48 requires" in row["retention"]

"""Dates are accepted as people in Kazakhstan type them, whatever the admin's language."""

from datetime import date

import pytest
from django.urls import reverse

from common.models import CalendarDay


def _enter_a_calendar_day(client, language: str, typed: str):
    return client.post(
        reverse("admin:common_calendarday_add"),
        {"date": typed, "kind": "working_day", "note": "Decree No. 1", "change_reason": "decree"},
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("typed", ["22.10.2025", "22.10.25", "2025-10-22"])
def test_a_date_typed_day_first_with_dots_is_read_in_every_language(officer_client, language,
                                                                    typed):  # fmt: skip
    response = _enter_a_calendar_day(officer_client, language, typed)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert CalendarDay.objects.get().date == date(2025, 10, 22)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_slashes_are_read_day_first_in_kazakh_and_russian(officer_client, language):
    _enter_a_calendar_day(officer_client, language, "02/10/2025")

    assert CalendarDay.objects.get().date == date(2025, 10, 2)


@pytest.mark.django_db
def test_slashes_keep_their_american_reading_in_english(officer_client):
    _enter_a_calendar_day(officer_client, "en", "02/10/2025")

    assert CalendarDay.objects.get().date == date(2025, 2, 10)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_wrong_date_is_refused_with_the_field_named(officer_client, language):
    response = _enter_a_calendar_day(officer_client, language, "32.10.2025")

    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert not CalendarDay.objects.exists()

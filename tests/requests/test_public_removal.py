"""Removal from public sources (Art. 6): the kind, its 1-working-day rule, record and answer."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from common.workdays import ALMATY
from requests.models import (
    ActionKind,
    DeadlineRule,
    PublicSourceRemoval,
    RequestKind,
    RequestStatus,
)
from requests.services import answers
from requests.services.base import RequestError
from requests.services.fulfilment import request_record_public_removal
from requests.services.intake import request_kind_confirm
from tests.requests.factories import request_by_email

LETTERS = Path(__file__).parent / "data" / "public_removal"


def demand(language: str, when: datetime | None = None):
    return request_by_email(
        body=(LETTERS / f"{language}.txt").read_text(encoding="utf-8"),
        subject_line="Demand",
        when=when,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_demand_to_remove_published_data_is_guessed_in_each_language(language):
    subject_request = demand(language)

    assert subject_request.kind == RequestKind.PUBLIC_REMOVAL
    assert subject_request.language == language


@pytest.mark.django_db
def test_its_rule_is_one_working_day_under_article_6():
    rule = DeadlineRule.objects.get(key=RequestKind.PUBLIC_REMOVAL)
    assert (rule.days, rule.unit, rule.article) == (1, "working_days", "Art. 6")

    # Friday 20 March 2026, before Nauryz: the next working day is Thursday 26 March.
    subject_request = demand("ru", when=datetime(2026, 3, 20, 11, 0, tzinfo=ALMATY))

    assert subject_request.due_date == date(2026, 3, 26)


@pytest.mark.django_db
def test_a_removal_is_recorded_with_the_place_and_the_moment_and_goes_into_the_answer(officer):
    subject_request = demand("ru")
    request_kind_confirm(
        subject_request=subject_request, actor=officer, kind=RequestKind.PUBLIC_REMOVAL
    )
    removed_at = timezone.now().replace(microsecond=0) - timedelta(hours=1)

    removal = request_record_public_removal(
        subject_request=subject_request,
        actor=officer,
        source="https://example.org/contest/winners",
        removed_at=removed_at,
    )

    removal.refresh_from_db()
    assert (removal.source, removal.removed_at, removal.recorded_by) == (
        "https://example.org/contest/winners",
        removed_at,
        officer,
    )
    assert removal.action.kind == ActionKind.REMOVED_FROM_PUBLIC
    assert removal.history.get().history_user == officer
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.IN_PROGRESS
    _subject, body = answers.answer_draft(subject_request)
    assert "удалены из общедоступных источников" in body
    assert "https://example.org/contest/winners" in body
    assert timezone.localtime(removed_at).strftime("%Y") in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("kk", "жалпыға қолжетімді көздерден алынып тасталды"),
        ("en", "removed from publicly available sources"),
    ],
)
def test_the_answer_template_exists_in_kazakh_and_english(officer, language, says):
    subject_request = demand(language)
    request_kind_confirm(
        subject_request=subject_request, actor=officer, kind=RequestKind.PUBLIC_REMOVAL
    )

    _subject, body = answers.answer_draft(subject_request)

    assert says in body


@pytest.mark.django_db
def test_a_removal_needs_its_place_and_cannot_be_in_the_future(officer):
    subject_request = demand("en")

    with pytest.raises(RequestError, match="published"):
        request_record_public_removal(
            subject_request=subject_request, actor=officer, source="  ", removed_at=timezone.now()
        )
    with pytest.raises(RequestError, match="before"):
        request_record_public_removal(
            subject_request=subject_request,
            actor=officer,
            source="https://example.org/list",
            removed_at=timezone.now() + timedelta(hours=1),
        )
    assert not PublicSourceRemoval.objects.exists()


@pytest.mark.django_db
def test_the_removal_is_recorded_from_the_request_page(officer_client, officer):
    subject_request = demand("en")

    response = officer_client.post(
        reverse("admin:requests_subjectrequest_act", args=[subject_request.pk, "public_removal"]),
        {"source": "Noticeboard at the office entrance", "removed_at": "2026-01-05T10:30"},
    )

    assert response.status_code == 302
    removal = PublicSourceRemoval.objects.get()
    assert removal.source == "Noticeboard at the office entrance"
    assert timezone.localtime(removal.removed_at).strftime("%d.%m.%Y %H:%M") == "05.01.2026 10:30"
    page = officer_client.get(
        reverse("admin:requests_subjectrequest_change", args=[subject_request.pk])
    )
    assert "Noticeboard at the office entrance" in page.content.decode()


@pytest.mark.django_db
def test_erasing_the_subject_blanks_the_place_of_publication_but_keeps_when(officer):
    from erasure.services import subject_erase
    from tests.subjects.factories import SubjectFactory

    subject = SubjectFactory(email="asel.kim@example.kz")
    subject_request = demand("ru")
    assert subject_request.subject == subject
    removed_at = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    removal = request_record_public_removal(
        subject_request=subject_request,
        actor=officer,
        source="https://example.org/asel-kim",
        removed_at=removed_at,
    )

    subject_erase(subject=subject, actor=officer, reason="Asked")

    removal.refresh_from_db()
    assert "asel-kim" not in removal.source
    assert removal.removed_at == removed_at
    assert not any("asel-kim" in row.source for row in removal.history.all())

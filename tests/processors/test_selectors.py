from datetime import timedelta

import pytest
from django.utils import timezone

from consents.models import WithdrawalChannel
from consents.services import consent_withdraw
from processors.selectors import subject_recipients
from tests.consents.factories import purpose
from tests.processors.factories import ProcessorFactory, consent_given
from tests.subjects.factories import SubjectFactory


def _abroad(country: str = "DE", codes=("newsletter",), **kwargs):
    return ProcessorFactory(
        country=country,
        stores_data_in_kazakhstan=False,
        purposes=[purpose(code) for code in codes],
        **kwargs,
    )


@pytest.mark.django_db
def test_a_processor_abroad_without_a_covering_consent_is_flagged():
    # Given a consent that says nothing of cross-border transfer, for a purpose served abroad
    subject = SubjectFactory()
    consent_given(subject)
    mailer = _abroad("DE")

    # When the subject's recipients are read
    [recipient] = subject_recipients(subject=subject)

    # Then the transfer is cross-border and not covered
    assert recipient.processor == mailer
    assert [p.code for p in recipient.purposes] == ["newsletter"]
    assert recipient.cross_border
    assert not recipient.covered_by_consent
    assert recipient.uncovered_cross_border


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("countries", "abroad", "covered"),
    [
        (["US", "DE"], "DE", True),  # the consent lists the processor's country
        (["US"], "DE", False),  # it lists another country only
        ([], "SG", True),  # it names no country: every country
    ],
    ids=["listed", "another country", "no country named"],
)
def test_a_cross_border_consent_covers_the_countries_it_names(countries, abroad, covered):
    subject = SubjectFactory()
    consent_given(subject, cross_border_transfer=True, cross_border_countries=countries)
    _abroad(abroad)

    [recipient] = subject_recipients(subject=subject)

    assert recipient.cross_border
    assert recipient.covered_by_consent == covered
    assert recipient.uncovered_cross_border == (not covered)


@pytest.mark.django_db
def test_a_processor_keeping_the_data_in_kazakhstan_is_no_cross_border_transfer():
    subject = SubjectFactory()
    consent_given(subject)
    ProcessorFactory(country="KZ", stores_data_in_kazakhstan=True, purposes=[purpose()])

    [recipient] = subject_recipients(subject=subject)

    assert not recipient.cross_border
    assert not recipient.uncovered_cross_border


@pytest.mark.django_db
def test_one_processor_serving_two_consented_purposes_is_one_recipient_covered_by_either():
    # Given a processor for two purposes; only the feedback consent allows transfer abroad
    subject = SubjectFactory()
    consent_given(subject, "newsletter")
    consent_given(subject, "feedback", cross_border_transfer=True, cross_border_countries=["DE"])
    _abroad("DE", codes=("newsletter", "feedback"))

    [recipient] = subject_recipients(subject=subject)

    assert {p.code for p in recipient.purposes} == {"newsletter", "feedback"}
    assert recipient.covered_by_consent


@pytest.mark.django_db
def test_withdrawn_consents_give_no_recipients():
    subject = SubjectFactory()
    consent_given(subject, cross_border_transfer=True)
    _abroad("DE")

    consent_withdraw(
        subject=subject,
        purposes=None,
        channel=WithdrawalChannel.EMAIL_REQUEST,
        actor=None,
        reason="test",
    )

    assert subject_recipients(subject=subject) == []


@pytest.mark.django_db
def test_processors_of_purposes_without_a_consent_are_not_recipients():
    subject = SubjectFactory()
    consent_given(subject, "newsletter")
    _abroad("DE", codes=("ad_analytics",))

    assert subject_recipients(subject=subject) == []


@pytest.mark.django_db
def test_a_processor_whose_engagement_ended_is_excluded_and_one_ending_today_is_not():
    subject = SubjectFactory()
    consent_given(subject)
    today = timezone.localdate()
    _abroad("DE", legal_name="Ended LLP", active_to=today - timedelta(days=1))
    _abroad("DE", legal_name="Last Day LLP", active_to=today)
    _abroad("DE", legal_name="Ongoing LLP", active_to=today + timedelta(days=30))

    names = [r.processor.legal_name for r in subject_recipients(subject=subject)]

    assert names == ["Last Day LLP", "Ongoing LLP"]


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_consents_and_processors(
    django_assert_num_queries,
):
    # Given one subject with one consent and another with five, each purpose served by two
    codes = ["contracts", "feedback", "newsletter", "direct_marketing", "product_research"]
    for code in codes:
        _abroad("DE", codes=(code,))
        ProcessorFactory(purposes=[purpose(code)])
    few, many = SubjectFactory(), SubjectFactory()
    consent_given(few, codes[0])
    for code in codes:
        consent_given(many, code, cross_border_transfer=True)

    # When their recipients are read, then the queries are the same two
    with django_assert_num_queries(2):
        assert len(subject_recipients(subject=few)) == 2
    with django_assert_num_queries(2):
        assert len(subject_recipients(subject=many)) == 10

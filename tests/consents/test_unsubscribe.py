from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.hashing import BadToken, sign_numbers, unsign_numbers
from consents.models import ConsentState, SuppressionEntry
from consents.suppression import is_suppressed
from consents.unsubscribe import unsubscribe_target, unsubscribe_token, unsubscribe_url
from tests.consents.factories import ConsentFactory, purpose
from tests.organisation.factories import OperatorProfileFactory


@pytest.fixture
def newsletter_consent(db):
    OperatorProfileFactory()
    return ConsentFactory(
        purpose=purpose("newsletter"),
        subject__email="aigerim.nurlanova@example.com",
        subject__preferred_language="kk",
    )


def _path(consent) -> str:
    return reverse(
        "unsubscribe", args=[unsubscribe_token(subject=consent.subject, purpose=consent.purpose)]
    )


def test_tokens_round_trip_and_refuse_tampering():
    token = sign_numbers((123456789, 3, 1000), key="k", purpose="p")

    assert unsign_numbers(token, key="k", purpose="p") == [123456789, 3, 1000]
    for bad in (token[:-1], token[:-1] + ("A" if token[-1] != "A" else "B"), token + "!", ""):
        with pytest.raises(BadToken):
            unsign_numbers(bad, key="k", purpose="p")
    with pytest.raises(BadToken):
        unsign_numbers(token, key="other", purpose="p")
    with pytest.raises(BadToken):
        unsign_numbers(token, key="k", purpose="another use")


@pytest.mark.django_db
def test_the_whole_link_stays_under_70_characters_even_for_big_ids(settings, newsletter_consent):
    settings.PUBLIC_BASE_URL = "https://privacy.dtcenter.asia"
    subject = newsletter_consent.subject
    subject.pk = 9_999_999_999  # far beyond any real register

    url = unsubscribe_url(subject=subject, purpose=newsletter_consent.purpose)

    assert url.startswith("https://privacy.dtcenter.asia/unsubscribe/")
    assert len(url) < 70, url


@pytest.mark.django_db
def test_get_shows_a_confirmation_in_the_subjects_language_and_changes_nothing(newsletter_consent):
    response = Client().get(_path(newsletter_consent))

    assert response.status_code == 200
    assert response["Content-Language"] == "kk"
    assert "a•••••@example.com" in response.text
    assert "aigerim.nurlanova" not in response.text
    assert "<form" in response.text
    newsletter_consent.refresh_from_db()
    assert newsletter_consent.state == ConsentState.GIVEN


@pytest.mark.django_db
def test_one_click_post_without_cookies_withdraws_and_suppresses(newsletter_consent):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        _path(newsletter_consent),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200  # an answer, not a redirect
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    newsletter_consent.refresh_from_db()
    assert newsletter_consent.state == ConsentState.WITHDRAWN
    assert newsletter_consent.withdrawal_channel == "unsubscribe_link"
    assert is_suppressed(email="aigerim.nurlanova@example.com")
    record = newsletter_consent.history.first()
    assert (record.history_user, record.history_change_reason) == (None, "Unsubscribe link")


@pytest.mark.django_db
def test_a_second_unsubscribe_changes_nothing(newsletter_consent):
    client = Client()
    client.post(_path(newsletter_consent))
    history = newsletter_consent.history.count()

    response = client.post(_path(newsletter_consent))

    assert response.status_code == 200
    assert newsletter_consent.history.count() == history
    assert SuppressionEntry.objects.count() == 2  # e-mail and phone, once each


@pytest.mark.django_db
# Each mangling changes the token (one that starts with "x" gets a "y": the same token would open).
@pytest.mark.parametrize(
    "mangle",
    [lambda t: t[:-2], lambda t: t[::-1], lambda t: ("y" if t[0] == "x" else "x") + t[1:]],
)
def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(newsletter_consent, mangle):
    token = unsubscribe_token(
        subject=newsletter_consent.subject, purpose=newsletter_consent.purpose
    )

    response = Client().post(reverse("unsubscribe", args=[mangle(token)]))

    assert response.status_code == 404
    assert "not valid" in response.text
    newsletter_consent.refresh_from_db()
    assert newsletter_consent.state == ConsentState.GIVEN
    assert not SuppressionEntry.objects.exists()


@pytest.mark.django_db
def test_an_expired_link_is_refused(settings, newsletter_consent):
    settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS = 30
    old = timezone.localdate() - timedelta(days=31)
    token = unsubscribe_token(
        subject=newsletter_consent.subject, purpose=newsletter_consent.purpose, today=old
    )

    response = Client().post(reverse("unsubscribe", args=[token]))

    assert response.status_code == 410
    assert "expired" in response.text
    newsletter_consent.refresh_from_db()
    assert newsletter_consent.state == ConsentState.GIVEN


@pytest.mark.django_db
def test_a_link_to_a_subject_we_do_not_hold_is_refused(newsletter_consent):
    token = unsubscribe_token(
        subject=newsletter_consent.subject, purpose=newsletter_consent.purpose
    )
    newsletter_consent.delete()
    newsletter_consent.subject.delete()

    response = Client().get(reverse("unsubscribe", args=[token]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_the_target_is_read_back_from_the_token(newsletter_consent):
    token = unsubscribe_token(
        subject=newsletter_consent.subject, purpose=newsletter_consent.purpose
    )

    target = unsubscribe_target(token=token)

    assert (target.subject, target.purpose) == (
        newsletter_consent.subject,
        newsletter_consent.purpose,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "word"), [("ru", "Отписаться"), ("en", "Unsubscribe")])
def test_the_page_speaks_the_subjects_language(newsletter_consent, language, word):
    subject = newsletter_consent.subject
    subject.preferred_language = language
    subject.save()

    response = Client().get(_path(newsletter_consent))

    assert response["Content-Language"] == language
    assert word in response.text


def test_sealed_tokens_round_trip_and_refuse_tampering():
    from common.hashing import open_numbers, seal_numbers

    token = seal_numbers((123456789, 3, 1000), widths=(5, 2, 2), key="k", purpose="p")

    assert len(token) == 22
    assert open_numbers(token, widths=(5, 2, 2), key="k", purpose="p") == [123456789, 3, 1000]
    flipped = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    for bad in (token[:-1], flipped, token + "A", "", "!" * 22):
        with pytest.raises(BadToken):
            open_numbers(bad, widths=(5, 2, 2), key="k", purpose="p")
    with pytest.raises(BadToken):
        open_numbers(token, widths=(5, 2, 2), key="other", purpose="p")
    with pytest.raises(BadToken):
        open_numbers(token, widths=(5, 2, 2), key="k", purpose="another use")


@pytest.mark.django_db
def test_the_token_hides_the_subject_the_purpose_and_the_day(newsletter_consent):
    import base64

    subject, newsletter = newsletter_consent.subject, newsletter_consent.purpose
    today = timezone.localdate()
    token = unsubscribe_token(subject=subject, purpose=newsletter, today=today)
    neighbour = unsubscribe_token(subject=subject, purpose=newsletter, today=today)
    next_subject = subject.__class__(pk=subject.pk + 1)
    others = {
        unsubscribe_token(subject=next_subject, purpose=newsletter, today=today),
        unsubscribe_token(subject=subject, purpose=purpose("feedback"), today=today),
        unsubscribe_token(subject=subject, purpose=newsletter, today=today + timedelta(days=1)),
    }

    raw = base64.urlsafe_b64decode(token + "==")
    for number in (subject.pk, newsletter.pk):
        for width in (4, 5, 8):  # shorter runs turn up in random bytes by chance
            assert number.to_bytes(width, "big") not in raw
            assert number.to_bytes(width, "little") not in raw
    # Deterministic (the same link for the same day), but neighbours share nothing visible.
    assert neighbour == token
    assert len(others) == 3
    assert token not in others
    assert all(sum(a == b for a, b in zip(token, other, strict=True)) < 8 for other in others)
    # Length does not grow with the id: one AES block whatever the register's size.
    big = subject.__class__(pk=9_999_999_999)
    assert len(unsubscribe_token(subject=big, purpose=newsletter)) == len(token) == 22


@pytest.mark.django_db
def test_the_token_is_verified_without_a_session_or_a_stored_row(newsletter_consent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = unsubscribe_token(
        subject=newsletter_consent.subject, purpose=newsletter_consent.purpose
    )

    with CaptureQueriesContext(connection) as queries:
        target = unsubscribe_target(token=token)

    # One lookup of what the token names (and whether its consent is live); no token table,
    # no session.
    assert len(queries) == 1
    assert 'FROM "subjects_subject" s, "consents_purpose" p WHERE' in queries[0]["sql"]
    assert target.live
    assert target.subject == newsletter_consent.subject
    response = Client().post(reverse("unsubscribe", args=[token]))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def _signed_v1_token(subject, purpose_, day) -> str:
    """A link as sent before the tokens were sealed: signed, its numbers readable."""
    from django.conf import settings

    from consents.unsubscribe import DAY_ZERO, SIGNING_CONTEXT

    return sign_numbers(
        (subject.pk, purpose_.pk, (day - DAY_ZERO).days),
        key=settings.UNSUBSCRIBE_SIGNING_KEY,
        purpose=SIGNING_CONTEXT,
    )


@pytest.mark.django_db
def test_a_link_signed_before_the_tokens_were_sealed_still_unsubscribes(newsletter_consent):
    old = _signed_v1_token(
        newsletter_consent.subject, newsletter_consent.purpose, timezone.localdate()
    )

    response = Client().post(reverse("unsubscribe", args=[old]))

    assert response.status_code == 200
    newsletter_consent.refresh_from_db()
    assert newsletter_consent.state == ConsentState.WITHDRAWN


@pytest.mark.django_db
def test_an_old_signed_link_expires_as_it_always_did(settings, newsletter_consent):
    settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS = 30
    day = timezone.localdate() - timedelta(days=31)
    old = _signed_v1_token(newsletter_consent.subject, newsletter_consent.purpose, day)

    response = Client().post(reverse("unsubscribe", args=[old]))

    assert response.status_code == 410
    newsletter_consent.refresh_from_db()
    assert newsletter_consent.state == ConsentState.GIVEN


def test_sealing_a_batch_by_first_number_gives_each_token_sealed_alone():
    from common.hashing import first_number_sealer, open_numbers, seal_numbers

    widths = (5, 2, 2)
    seal = first_number_sealer(widths=widths, rest=(3, 1000), key="k", purpose="p")
    ids = [0, 1, 255, 256, 123456789, 256**5 - 1]

    tokens = seal(ids)

    assert tokens == [seal_numbers((n, 3, 1000), widths=widths, key="k", purpose="p") for n in ids]
    assert [open_numbers(t, widths=widths, key="k", purpose="p")[0] for t in tokens] == ids
    with pytest.raises(OverflowError):
        seal([256**5])

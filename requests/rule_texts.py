"""The deadline rules' articles and bases as seeded, shown in the reader's language.

Data migrations seed these texts in English (migrations are frozen: they can't follow the
catalogs). Each seeded text is a msgid here, so a rule still as seeded reads in Kazakh, Russian
or English, while a text the privacy officer typed has no catalog entry and is shown as typed.
tests/requests/test_rule_texts.py keeps this list and the migrations' texts the same.
"""

from django.utils.translation import gettext, gettext_noop

SEEDED_RULE_TEXTS = frozenset(
    {
        # Articles (requests 0012, 0014).
        gettext_noop("Art. 6"),
        gettext_noop("Art. 8(7)"),
        gettext_noop("Art. 25(2)(6)"),
        gettext_noop("Art. 25(2)(8)"),
        gettext_noop("Art. 25(2)(6) (by analogy)"),
        # Bases (requests 0012).
        gettext_noop(
            "Law No. 94-V On personal data and their protection, Art. 25(2)(6): access to one's "
            "data, periods of the collection rules."
        ),
        gettext_noop(
            "Law No. 94-V On personal data and their protection, Art. 25(2)(8): rectify, block, "
            "unblock or destroy on the subject's demand within 1 working day."
        ),
        gettext_noop(
            "Law No. 94-V On personal data and their protection, Art. 8(7): stop the processing "
            "(unless the law requires it) or give a reasoned refusal within 15 working days."
        ),
        gettext_noop(
            "Internal target of the operator, shorter than the legal limit (DESIGN section 8)."
        ),
        gettext_noop(
            "The law sets no separate refusal period for this kind: the access period "
            "(Art. 25(2)(6), 3 working days) applies."
        ),
        gettext_noop(
            "Law No. 94-V On personal data and their protection, Art. 8(7) (withdrawal of "
            "consent, 15 working days); the mail providers' bulk-sender rules ask for 2 calendar "
            "days, the stricter of the two."
        ),
        gettext_noop(
            "The law sets no period for this kind: the shortest general answer period "
            "(Art. 25(2)(6), 3 working days) was chosen."
        ),
        # Removal from public sources (requests 0014).
        gettext_noop(
            "Law No. 94-V On personal data and their protection, Art. 6: data collected or "
            "processed unlawfully is removed from publicly available sources within 1 working "
            "day of the subject's demand."
        ),
        gettext_noop(
            "The law sets no separate refusal period for this kind: the same working day."
        ),
        # Notice of a transfer to a third party (requests 0018).
        gettext_noop("Art. 19(1)"),
        gettext_noop(
            "Law No. 94-V On personal data and their protection, Art. 19(1): when the consent "
            "makes a transfer to a third party conditional on telling the subject, the operator "
            "tells them within 10 working days of the transfer."
        ),
        gettext_noop("A notice owed under the consent is not refused: the same 10 working days."),
    }
)


def rule_text(value: str) -> str:
    """A seeded text in the active language; any other text as it was typed."""
    return gettext(value) if value in SEEDED_RULE_TEXTS else value

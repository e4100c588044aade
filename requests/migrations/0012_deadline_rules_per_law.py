"""The seeded deadline rules get their articles, legal limits and refusal periods (DESIGN section 8).

Law No. 94-V "On personal data and their protection" as amended through 2025 (official text:
adilet.zan.kz, Z1300000094). Withdrawal of consent: 15 working days (Art. 8(7)), not the
3 "chosen" before; the 3 days stay as the operator's internal target, shown beside the limit.
The reasoned refusal's period is now each kind's own (withdrawal 15, access 3), so the one
global "refusal" rule goes. Only rows still as seeded are changed: a period the officer edited
is left alone. Reversible: the previous values come back.
"""

from django.db import migrations

LAW = "Law No. 94-V On personal data and their protection"
ACCESS_BASIS = f"{LAW}, Art. 25(2)(6): access to one's data, periods of the collection rules."
DEMAND_BASIS = (
    f"{LAW}, Art. 25(2)(8): rectify, block, unblock or destroy on the subject's demand "
    "within 1 working day."
)
WITHDRAWAL_BASIS = (
    f"{LAW}, Art. 8(7): stop the processing (unless the law requires it) or give a reasoned "
    "refusal within 15 working days."
)
TARGET_BASIS = "Internal target of the operator, shorter than the legal limit (DESIGN section 8)."
NO_REFUSAL_PERIOD = (
    "The law sets no separate refusal period for this kind: the access period "
    "(Art. 25(2)(6), 3 working days) applies."
)
UNSUBSCRIBE_BASIS = (
    f"{LAW}, Art. 8(7) (withdrawal of consent, 15 working days); the mail providers' bulk-sender "
    "rules ask for 2 calendar days, the stricter of the two."
)
CHOSEN = (
    "The law sets no period for this kind: the shortest general answer period "
    "(Art. 25(2)(6), 3 working days) was chosen."
)

# key: (days, unit, article, basis, target_days, target_basis, refusal_days, refusal_basis)
RULES = {
    "access": (3, "working_days", "Art. 25(2)(6)", ACCESS_BASIS, None, "", 3, ACCESS_BASIS),
    "rectification": (1, "working_days", "Art. 25(2)(8)", DEMAND_BASIS, None, "", 3,
                      NO_REFUSAL_PERIOD),
    "blocking": (1, "working_days", "Art. 25(2)(8)", DEMAND_BASIS, None, "", 3, NO_REFUSAL_PERIOD),
    "unblocking": (1, "working_days", "Art. 25(2)(8)", DEMAND_BASIS, None, "", 3,
                   NO_REFUSAL_PERIOD),
    "erasure": (1, "working_days", "Art. 25(2)(8)", DEMAND_BASIS, None, "", 3, NO_REFUSAL_PERIOD),
    "withdrawal": (15, "working_days", "Art. 8(7)", WITHDRAWAL_BASIS, 3, TARGET_BASIS, 15,
                   WITHDRAWAL_BASIS),
    "withdrawal_all": (15, "working_days", "Art. 8(7)", WITHDRAWAL_BASIS, 3, TARGET_BASIS, 15,
                       WITHDRAWAL_BASIS),
    "unsubscribe": (2, "calendar_days", "Art. 8(7)", UNSUBSCRIBE_BASIS, None, "", 2,
                    UNSUBSCRIBE_BASIS),
    "complaint": (3, "working_days", "Art. 25(2)(6) (by analogy)", CHOSEN, None, "", 3, CHOSEN),
    "other": (3, "working_days", "Art. 25(2)(6) (by analogy)", CHOSEN, None, "", 3, CHOSEN),
}  # fmt: skip

# As 0005 seeded them: (days, unit, basis); "refusal" was the one global refusal rule.
SECTION_8 = "Law No. 94-V default (DESIGN section 8); verify with counsel."
CHOSEN_BEFORE = (
    "No period in section 8: the shortest general answer period (3 working days) was chosen."
)
PREVIOUS = {
    "access": (3, "working_days", SECTION_8),
    "refusal": (3, "working_days", SECTION_8),
    "rectification": (1, "working_days", SECTION_8),
    "blocking": (1, "working_days", SECTION_8),
    "unblocking": (1, "working_days", SECTION_8),
    "erasure": (1, "working_days", SECTION_8),
    "unsubscribe": (2, "calendar_days", "Mail providers' bulk-sender rules (DESIGN section 8)."),
    "withdrawal": (3, "working_days", CHOSEN_BEFORE),
    "withdrawal_all": (3, "working_days", CHOSEN_BEFORE),
    "complaint": (3, "working_days", CHOSEN_BEFORE),
    "other": (3, "working_days", CHOSEN_BEFORE),
}


def forward(apps, schema_editor):
    DeadlineRule = apps.get_model("requests", "DeadlineRule")
    refusal = DeadlineRule.objects.filter(key="refusal").first()
    for key, (days, unit, article, basis, target, target_basis, refusal_days, refusal_basis) in (
        RULES.items()
    ):
        rule = DeadlineRule.objects.filter(key=key).first()
        if rule is None:
            rule = DeadlineRule(key=key, days=days, unit=unit, basis=basis)
        elif (rule.days, rule.unit, rule.basis) == PREVIOUS[key]:
            rule.days, rule.basis = days, basis
            if target is not None and target < days:
                rule.target_days, rule.target_basis = target, target_basis
        rule.article = article
        rule.refusal_days, rule.refusal_basis = refusal_days, refusal_basis
        if refusal is not None and (refusal.days, refusal.unit) != PREVIOUS["refusal"][:2]:
            # The officer had changed the global refusal period: keep it for the kinds whose
            # refusal period the law does not set.
            if refusal_basis in (NO_REFUSAL_PERIOD, CHOSEN) and refusal.unit == rule.unit:
                rule.refusal_days, rule.refusal_basis = refusal.days, refusal.basis
        rule.save()
    DeadlineRule.objects.filter(key="refusal").delete()


def backward(apps, schema_editor):
    DeadlineRule = apps.get_model("requests", "DeadlineRule")
    for key, (days, unit, basis) in PREVIOUS.items():
        rule = DeadlineRule.objects.filter(key=key).first()
        if rule is None:
            DeadlineRule.objects.create(
                key=key, days=days, unit=unit, basis=basis, article="", refusal_days=days
            )
        elif (rule.days, rule.unit, rule.basis) == RULES[key][:2] + (RULES[key][3],):
            rule.days, rule.basis, rule.target_days, rule.target_basis = days, basis, None, ""
            rule.save()


class Migration(migrations.Migration):
    dependencies = [("requests", "0011_deadline_rule_limit_target_refusal")]

    operations = [migrations.RunPython(forward, backward)]

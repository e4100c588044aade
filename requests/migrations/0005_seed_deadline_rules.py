"""Deadline rules per kind of request: the defaults of DESIGN section 8 (the officer edits them).

Section 8 names access (3 working days), a reasoned refusal (3), rectify / block / unblock /
destroy (1) and unsubscribe (2 calendar days). For the rest we chose, and say so in `basis`:
withdrawal of consent, complaints and other requests get the shortest general answer period,
3 working days, so that nothing waits longer unnoticed.
"""

from django.db import migrations

SECTION_8 = "Law No. 94-V default (DESIGN section 8); verify with counsel."
CHOSEN = "No period in section 8: the shortest general answer period (3 working days) was chosen."

RULES = [
    ("access", 3, "working_days", SECTION_8),
    ("refusal", 3, "working_days", SECTION_8),
    ("rectification", 1, "working_days", SECTION_8),
    ("blocking", 1, "working_days", SECTION_8),
    ("unblocking", 1, "working_days", SECTION_8),
    ("erasure", 1, "working_days", SECTION_8),
    ("unsubscribe", 2, "calendar_days", "Mail providers' bulk-sender rules (DESIGN section 8)."),
    ("withdrawal", 3, "working_days", CHOSEN),
    ("withdrawal_all", 3, "working_days", CHOSEN),
    ("complaint", 3, "working_days", CHOSEN),
    ("other", 3, "working_days", CHOSEN),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("requests", "DeadlineRule")
    for key, days, unit, basis in RULES:
        DeadlineRule.objects.get_or_create(
            key=key, defaults={"days": days, "unit": unit, "basis": basis}
        )


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("requests", "DeadlineRule")
    DeadlineRule.objects.filter(key__in=[key for key, *_rest in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("requests", "0004_deadline_rules_and_answer_templates")]

    operations = [migrations.RunPython(seed, unseed)]

"""The notice rule of DESIGN section 8: the authorised body within one working day of detection.

The privacy officer edits it (Notification rules); an incident keeps the rule it was opened with.
"""

from django.db import migrations

BASIS = (
    "Law No. 94-V Art. 25(2)(8) (in force since 1 July 2024): notify the authorised body of a "
    "breach within one working day of detecting it; content per Order No. 481/НҚ of 9 August "
    "2024. Verify with counsel."
)


def seed(apps, schema_editor):
    NotificationRule = apps.get_model("incidents", "NotificationRule")
    NotificationRule.objects.get_or_create(
        key="authority_notice", defaults={"days": 1, "unit": "working_days", "basis": BASIS}
    )


def unseed(apps, schema_editor):
    NotificationRule = apps.get_model("incidents", "NotificationRule")
    NotificationRule.objects.filter(key="authority_notice").delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

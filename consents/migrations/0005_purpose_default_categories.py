"""What each seeded purpose processes, so that consents and the register start filled in."""

from django.db import migrations
from django.utils import timezone

CATEGORIES = {
    "contracts": ["name", "email", "phone", "location", "agreement"],
    "feedback": ["name", "email"],
    "newsletter": ["name", "email"],
    "direct_marketing": ["name", "email", "phone"],
    "ad_analytics": ["email", "location"],
    "product_research": ["name", "email", "occupation"],
    "legal_obligation": ["name", "identifier", "location", "agreement"],
}


def fill_categories(apps, schema_editor):
    Purpose = apps.get_model("consents", "Purpose")
    HistoricalPurpose = apps.get_model("consents", "HistoricalPurpose")
    for purpose in Purpose.objects.filter(code__in=CATEGORIES):
        if purpose.data_categories:  # the privacy officer has chosen already
            continue
        purpose.data_categories = CATEGORIES[purpose.code]
        purpose.save(update_fields=["data_categories"])
        HistoricalPurpose.objects.create(
            **{f.attname: getattr(purpose, f.attname) for f in Purpose._meta.concrete_fields},
            history_date=timezone.now(),
            history_type="~",
            history_change_reason="Default categories of the seeded purposes",
        )


class Migration(migrations.Migration):
    dependencies = [("consents", "0004_withdrawal_refusals_suppression_purpose_categories")]

    operations = [migrations.RunPython(fill_categories, migrations.RunPython.noop)]

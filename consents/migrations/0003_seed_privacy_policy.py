"""The operator's privacy policy in Kazakh, as published on its site, as the first policy version."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import migrations
from django.utils import timezone

TEXT_FILE = Path(__file__).resolve().parent.parent / "seed" / "privacy_policy_kk_1.txt"
LABEL = "1"
# The published text states no date; the privacy officer corrects this one in the admin.
PUBLISHED_AT = datetime(2025, 1, 1, tzinfo=ZoneInfo("Asia/Almaty"))


def seed_policy(apps, schema_editor):
    PolicyVersion = apps.get_model("consents", "PolicyVersion")
    HistoricalPolicyVersion = apps.get_model("consents", "HistoricalPolicyVersion")
    version, created = PolicyVersion.objects.get_or_create(
        kind="privacy_policy",
        version_label=LABEL,
        defaults={"published_at": PUBLISHED_AT, "text_kk": TEXT_FILE.read_text(encoding="utf-8")},
    )
    if created:
        HistoricalPolicyVersion.objects.create(
            **{f.attname: getattr(version, f.attname) for f in PolicyVersion._meta.concrete_fields},
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Seeded from the published privacy policy",
        )


def unseed_policy(apps, schema_editor):
    PolicyVersion = apps.get_model("consents", "PolicyVersion")
    HistoricalPolicyVersion = apps.get_model("consents", "HistoricalPolicyVersion")
    HistoricalPolicyVersion.objects.filter(kind="privacy_policy", version_label=LABEL).delete()
    PolicyVersion.objects.filter(kind="privacy_policy", version_label=LABEL).delete()


class Migration(migrations.Migration):
    dependencies = [("consents", "0002_seed_purposes")]

    operations = [migrations.RunPython(seed_policy, unseed_policy)]

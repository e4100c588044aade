"""The access answer's templates no longer name a JSON file: the report goes as a PDF and a
page in the answer's language. The file name is taken out of the seeded texts (an officer's
own wording is left as it is where it does not hold it)."""

from django.db import migrations

OLD = " (access-report.json)"


def forward(apps, schema_editor):
    AnswerTemplate = apps.get_model("requests", "AnswerTemplate")
    for template in AnswerTemplate.objects.filter(body_template__contains=OLD):
        template.body_template = template.body_template.replace(OLD, "")
        template.save(update_fields=["body_template"])


class Migration(migrations.Migration):
    dependencies = [("requests", "0016_request_received_index")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

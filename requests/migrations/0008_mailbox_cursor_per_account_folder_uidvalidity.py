"""The IMAP read position belongs to (host, user, folder, UIDVALIDITY), no longer to the port."""

from django.db import migrations, models


def split_account(apps, schema_editor):
    # `account` was f"{user}@{host}:{port}"; the user may itself hold an "@".
    MailboxCursor = apps.get_model("requests", "MailboxCursor")
    for cursor in MailboxCursor.objects.all():
        user, _at, host_port = cursor.account.rpartition("@")
        cursor.user, cursor.host = user, host_port.rsplit(":", 1)[0]
        cursor.save(update_fields=["user", "host"])


def join_account(apps, schema_editor):
    MailboxCursor = apps.get_model("requests", "MailboxCursor")
    for cursor in MailboxCursor.objects.all():
        cursor.account = f"{cursor.user}@{cursor.host}:993"
        cursor.save(update_fields=["account"])


class Migration(migrations.Migration):
    dependencies = [("requests", "0007_audit_history")]

    operations = [
        migrations.RemoveConstraint(model_name="mailboxcursor", name="mailboxcursor_unique"),
        migrations.AddField(
            model_name="mailboxcursor",
            name="host",
            field=models.CharField(default="", max_length=255, verbose_name="host"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="mailboxcursor",
            name="user",
            field=models.CharField(default="", max_length=255, verbose_name="user"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="mailboxcursor",
            name="account",
            field=models.CharField(default="", max_length=255, verbose_name="account"),
        ),
        migrations.RunPython(split_account, join_account),
        migrations.RemoveField(model_name="mailboxcursor", name="account"),
        migrations.AddConstraint(
            model_name="mailboxcursor",
            constraint=models.UniqueConstraint(
                fields=("host", "user", "folder", "uidvalidity"), name="mailboxcursor_unique"
            ),
        ),
    ]

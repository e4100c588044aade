"""The request kind "removal from public sources" (Art. 6) and the record of each removal."""

import common.history
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('requests', '0012_deadline_rules_per_law'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='answertemplate',
            name='key',
            field=models.CharField(choices=[('access', 'Access to own data'), ('rectification', 'Rectification'), ('blocking', 'Blocking'), ('unblocking', 'Unblocking'), ('erasure', 'Erasure or destruction'), ('withdrawal', 'Withdrawal of consent for some purposes'), ('withdrawal_all', 'Withdrawal of every consent'), ('unsubscribe', 'Unsubscribe'), ('public_removal', 'Removal from public sources'), ('complaint', 'Complaint'), ('other', 'Other'), ('refusal', 'Reasoned refusal'), ('incomplete', 'Request for missing information')], max_length=32, verbose_name='answer to'),
        ),
        migrations.AlterField(
            model_name='deadlinerule',
            name='key',
            field=models.CharField(choices=[('access', 'Access to own data'), ('rectification', 'Rectification'), ('blocking', 'Blocking'), ('unblocking', 'Unblocking'), ('erasure', 'Erasure or destruction'), ('withdrawal', 'Withdrawal of consent for some purposes'), ('withdrawal_all', 'Withdrawal of every consent'), ('unsubscribe', 'Unsubscribe'), ('public_removal', 'Removal from public sources'), ('complaint', 'Complaint'), ('other', 'Other')], max_length=32, unique=True, verbose_name='applies to'),
        ),
        migrations.AlterField(
            model_name='historicalanswertemplate',
            name='key',
            field=models.CharField(choices=[('access', 'Access to own data'), ('rectification', 'Rectification'), ('blocking', 'Blocking'), ('unblocking', 'Unblocking'), ('erasure', 'Erasure or destruction'), ('withdrawal', 'Withdrawal of consent for some purposes'), ('withdrawal_all', 'Withdrawal of every consent'), ('unsubscribe', 'Unsubscribe'), ('public_removal', 'Removal from public sources'), ('complaint', 'Complaint'), ('other', 'Other'), ('refusal', 'Reasoned refusal'), ('incomplete', 'Request for missing information')], max_length=32, verbose_name='answer to'),
        ),
        migrations.AlterField(
            model_name='historicaldeadlinerule',
            name='key',
            field=models.CharField(choices=[('access', 'Access to own data'), ('rectification', 'Rectification'), ('blocking', 'Blocking'), ('unblocking', 'Unblocking'), ('erasure', 'Erasure or destruction'), ('withdrawal', 'Withdrawal of consent for some purposes'), ('withdrawal_all', 'Withdrawal of every consent'), ('unsubscribe', 'Unsubscribe'), ('public_removal', 'Removal from public sources'), ('complaint', 'Complaint'), ('other', 'Other')], db_index=True, max_length=32, verbose_name='applies to'),
        ),
        migrations.AlterField(
            model_name='historicalrequestaction',
            name='kind',
            field=models.CharField(choices=[('received', 'Received'), ('kind_confirmed', 'Kind confirmed'), ('updated', 'Details changed'), ('information_requested', 'Missing information asked for'), ('paused', 'Clock paused'), ('resumed', 'Clock resumed'), ('extended', 'Deadline extended'), ('follow_up', 'Letter from the requester'), ('access_report', 'Access report prepared'), ('rectified', 'Data rectified'), ('blocked', 'Data blocked'), ('unblocked', 'Data unblocked'), ('consents_withdrawn', 'Consents withdrawn'), ('erased', 'Data erased'), ('removed_from_public', 'Removed from a public source'), ('refused', 'Refusal decided'), ('answer_sent', 'Answer sent by e-mail'), ('answer_posted', 'Answer sent by post'), ('answer_failed', 'Answer could not be sent')], max_length=32, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='historicalsubjectrequest',
            name='kind',
            field=models.CharField(choices=[('access', 'Access to own data'), ('rectification', 'Rectification'), ('blocking', 'Blocking'), ('unblocking', 'Unblocking'), ('erasure', 'Erasure or destruction'), ('withdrawal', 'Withdrawal of consent for some purposes'), ('withdrawal_all', 'Withdrawal of every consent'), ('unsubscribe', 'Unsubscribe'), ('public_removal', 'Removal from public sources'), ('complaint', 'Complaint'), ('other', 'Other')], max_length=32, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='historicalsubjectrequest',
            name='suggested_kind',
            field=models.CharField(blank=True, choices=[('access', 'Access to own data'), ('rectification', 'Rectification'), ('blocking', 'Blocking'), ('unblocking', 'Unblocking'), ('erasure', 'Erasure or destruction'), ('withdrawal', 'Withdrawal of consent for some purposes'), ('withdrawal_all', 'Withdrawal of every consent'), ('unsubscribe', 'Unsubscribe'), ('public_removal', 'Removal from public sources'), ('complaint', 'Complaint'), ('other', 'Other')], max_length=32, verbose_name='suggested kind'),
        ),
        migrations.AlterField(
            model_name='requestaction',
            name='kind',
            field=models.CharField(choices=[('received', 'Received'), ('kind_confirmed', 'Kind confirmed'), ('updated', 'Details changed'), ('information_requested', 'Missing information asked for'), ('paused', 'Clock paused'), ('resumed', 'Clock resumed'), ('extended', 'Deadline extended'), ('follow_up', 'Letter from the requester'), ('access_report', 'Access report prepared'), ('rectified', 'Data rectified'), ('blocked', 'Data blocked'), ('unblocked', 'Data unblocked'), ('consents_withdrawn', 'Consents withdrawn'), ('erased', 'Data erased'), ('removed_from_public', 'Removed from a public source'), ('refused', 'Refusal decided'), ('answer_sent', 'Answer sent by e-mail'), ('answer_posted', 'Answer sent by post'), ('answer_failed', 'Answer could not be sent')], max_length=32, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='subjectrequest',
            name='kind',
            field=models.CharField(choices=[('access', 'Access to own data'), ('rectification', 'Rectification'), ('blocking', 'Blocking'), ('unblocking', 'Unblocking'), ('erasure', 'Erasure or destruction'), ('withdrawal', 'Withdrawal of consent for some purposes'), ('withdrawal_all', 'Withdrawal of every consent'), ('unsubscribe', 'Unsubscribe'), ('public_removal', 'Removal from public sources'), ('complaint', 'Complaint'), ('other', 'Other')], max_length=32, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='subjectrequest',
            name='suggested_kind',
            field=models.CharField(blank=True, choices=[('access', 'Access to own data'), ('rectification', 'Rectification'), ('blocking', 'Blocking'), ('unblocking', 'Unblocking'), ('erasure', 'Erasure or destruction'), ('withdrawal', 'Withdrawal of consent for some purposes'), ('withdrawal_all', 'Withdrawal of every consent'), ('unsubscribe', 'Unsubscribe'), ('public_removal', 'Removal from public sources'), ('complaint', 'Complaint'), ('other', 'Other')], max_length=32, verbose_name='suggested kind'),
        ),
        migrations.CreateModel(
            name='PublicSourceRemoval',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.TextField(help_text='The address or the place of publication.', verbose_name='where it was published')),
                ('removed_at', models.DateTimeField(verbose_name='removed at')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('action', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='public_removal', to='requests.requestaction', verbose_name='action')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='public_removals', to='requests.subjectrequest', verbose_name='request')),
            ],
            options={
                'verbose_name': 'removal from a public source',
                'verbose_name_plural': 'removals from public sources',
                'ordering': ('removed_at', 'pk'),
            },
        ),
        migrations.CreateModel(
            name='HistoricalPublicSourceRemoval',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('source', models.TextField(help_text='The address or the place of publication.', verbose_name='where it was published')),
                ('removed_at', models.DateTimeField(verbose_name='removed at')),
                ('recorded_at', models.DateTimeField(blank=True, editable=False, verbose_name='recorded at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField()),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('action', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='requests.requestaction', verbose_name='action')),
                ('history_user', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('request', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='requests.subjectrequest', verbose_name='request')),
            ],
            options={
                'verbose_name': 'historical removal from a public source',
                'verbose_name_plural': 'historical removals from public sources',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
                'indexes': [common.history.HistoryDateIndex(fields=['history_date'], name='requests_hi_history_12b166_brn')],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]

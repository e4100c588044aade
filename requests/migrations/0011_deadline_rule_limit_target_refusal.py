"""Deadline rules carry their article, an optional internal target and a refusal period per kind.

The one global "refusal" rule goes (its period moves into each kind's rule, next migration);
requests keep the internal target they were given and its date.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('requests', '0010_request_attachment_to_read'),
    ]

    operations = [
        migrations.AddField(
            model_name='deadlinerule',
            name='article',
            field=models.CharField(default='', help_text='The article of the law that sets the limit.', max_length=100, verbose_name='article'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='deadlinerule',
            name='refusal_basis',
            field=models.TextField(blank=True, verbose_name='basis of the refusal period'),
        ),
        migrations.AddField(
            model_name='deadlinerule',
            name='refusal_days',
            field=models.PositiveSmallIntegerField(default=3, help_text='A reasoned refusal of this kind is due within these days from receipt.', verbose_name='reasoned refusal within'),
        ),
        migrations.AddField(
            model_name='deadlinerule',
            name='target_basis',
            field=models.TextField(blank=True, help_text='Who set it and why.', verbose_name='basis of the internal target'),
        ),
        migrations.AddField(
            model_name='deadlinerule',
            name='target_days',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Optional, shorter than the legal limit; past it the request is late.', null=True, verbose_name='internal target'),
        ),
        migrations.AddField(
            model_name='historicaldeadlinerule',
            name='article',
            field=models.CharField(default='', help_text='The article of the law that sets the limit.', max_length=100, verbose_name='article'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicaldeadlinerule',
            name='refusal_basis',
            field=models.TextField(blank=True, verbose_name='basis of the refusal period'),
        ),
        migrations.AddField(
            model_name='historicaldeadlinerule',
            name='refusal_days',
            field=models.PositiveSmallIntegerField(default=3, help_text='A reasoned refusal of this kind is due within these days from receipt.', verbose_name='reasoned refusal within'),
        ),
        migrations.AddField(
            model_name='historicaldeadlinerule',
            name='target_basis',
            field=models.TextField(blank=True, help_text='Who set it and why.', verbose_name='basis of the internal target'),
        ),
        migrations.AddField(
            model_name='historicaldeadlinerule',
            name='target_days',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Optional, shorter than the legal limit; past it the request is late.', null=True, verbose_name='internal target'),
        ),
        migrations.AddField(
            model_name='historicalsubjectrequest',
            name='target_date',
            field=models.DateField(blank=True, help_text='Empty while paused.', null=True, verbose_name='internal target date'),
        ),
        migrations.AddField(
            model_name='historicalsubjectrequest',
            name='target_days',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='internal target'),
        ),
        migrations.AddField(
            model_name='subjectrequest',
            name='target_date',
            field=models.DateField(blank=True, help_text='Empty while paused.', null=True, verbose_name='internal target date'),
        ),
        migrations.AddField(
            model_name='subjectrequest',
            name='target_days',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='internal target'),
        ),
        migrations.AlterField(
            model_name='deadlinerule',
            name='days',
            field=models.PositiveSmallIntegerField(help_text='Past it the request is overdue.', verbose_name='legal limit'),
        ),
        migrations.AlterField(
            model_name='deadlinerule',
            name='key',
            field=models.CharField(choices=[('access', 'Access to own data'), ('rectification', 'Rectification'), ('blocking', 'Blocking'), ('unblocking', 'Unblocking'), ('erasure', 'Erasure or destruction'), ('withdrawal', 'Withdrawal of consent for some purposes'), ('withdrawal_all', 'Withdrawal of every consent'), ('unsubscribe', 'Unsubscribe'), ('complaint', 'Complaint'), ('other', 'Other')], max_length=32, unique=True, verbose_name='applies to'),
        ),
        migrations.AlterField(
            model_name='historicaldeadlinerule',
            name='days',
            field=models.PositiveSmallIntegerField(help_text='Past it the request is overdue.', verbose_name='legal limit'),
        ),
        migrations.AlterField(
            model_name='historicaldeadlinerule',
            name='key',
            field=models.CharField(choices=[('access', 'Access to own data'), ('rectification', 'Rectification'), ('blocking', 'Blocking'), ('unblocking', 'Unblocking'), ('erasure', 'Erasure or destruction'), ('withdrawal', 'Withdrawal of consent for some purposes'), ('withdrawal_all', 'Withdrawal of every consent'), ('unsubscribe', 'Unsubscribe'), ('complaint', 'Complaint'), ('other', 'Other')], db_index=True, max_length=32, verbose_name='applies to'),
        ),
        migrations.AddConstraint(
            model_name='deadlinerule',
            constraint=models.CheckConstraint(condition=models.Q(('refusal_days__gte', 1)), name='deadlinerule_refusal_positive'),
        ),
        migrations.AddConstraint(
            model_name='deadlinerule',
            constraint=models.CheckConstraint(condition=models.Q(('target_days__isnull', True), models.Q(('target_days__gte', 1), ('target_days__lt', models.F('days'))), _connector='OR'), name='deadlinerule_target_shorter', violation_error_message='The internal target must be shorter than the legal limit.'),
        ),
    ]

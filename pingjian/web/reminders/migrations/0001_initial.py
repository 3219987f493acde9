# Moved from the dashboard app with its table: on a database that has it (dashboard 0001–0003
# created it) only Django's model state moves; the table, its rows and indexes stay.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dashboard', '0003_notification_attachment'),
        ('applications', '0004_application_appeal_waived_on'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DeadlineReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=32, verbose_name='期限種類')),
                        ('due', models.DateField(verbose_name='期限')),
                        ('stage', models.CharField(choices=[('upcoming', '即將到期'), ('overdue', '已逾期')], max_length=10, verbose_name='階段')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='建立時間')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='寄送時間')),
                        ('recipients', models.PositiveIntegerField(default=0, verbose_name='收件人數')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='applications.application', verbose_name='申請案')),
                    ],
                    options={
                        'verbose_name': '期限提醒',
                        'verbose_name_plural': '期限提醒',
                        'db_table': 'dashboard_deadlinereminder',
                        'ordering': ('-created_at', '-pk'),
                        'constraints': [models.UniqueConstraint(fields=('application', 'kind', 'due', 'stage'), name='one_reminder_per_deadline_stage')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

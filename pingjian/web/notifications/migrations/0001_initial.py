# Moved from the dashboard app with its table: on a database that has it (dashboard 0001–0003
# created it) only Django's model state moves; the table, its rows and indexes stay.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dashboard', '0003_notification_attachment'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject', models.CharField(max_length=200, verbose_name='主旨')),
                        ('body', models.TextField(blank=True, verbose_name='內容')),
                        ('url', models.CharField(blank=True, max_length=300, verbose_name='連結')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='時間')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已讀時間')),
                        ('emailed', models.BooleanField(default=False, verbose_name='已寄送電子郵件')),
                        ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='電子郵件寄送時間')),
                        ('attachment', models.CharField(blank=True, max_length=40, verbose_name='附件')),
                        ('attachment_ref', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='附件來源')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='收件者')),
                    ],
                    options={
                        'verbose_name': '通知',
                        'verbose_name_plural': '通知',
                        'db_table': 'dashboard_notification',
                        'ordering': ('-created_at', '-pk'),
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='dashboard_n_recipie_e4c2e2_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

# The dashboard became the roof app: Notification moved to `notifications` and DeadlineReminder to
# `reminders`, each keeping its table (db_table), so only Django's model state changes here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0003_notification_attachment"),
        ("notifications", "0001_initial"),
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DeadlineReminder"),
                migrations.DeleteModel(name="Notification"),
            ],
            database_operations=[],
        ),
    ]

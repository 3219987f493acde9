"""`pingjian manage send_reminders`: remind the people responsible for every deadline due within
N working days or overdue, once per deadline and stage (safe to run again, and from a timer).

    pingjian manage send_reminders                 # today, 3 working days ahead
    pingjian manage send_reminders --days 5 --today 114-07-01
    pingjian manage send_reminders --schedule      # start the daily self-rescheduling job instead
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pingjian.rules.errors import PingjianError
from pingjian.rules.roc import parse_date, roc_date_long
from pingjian.web.core.clock import local_today
from pingjian.web.notifications.tasks import requeue_unsent_emails
from pingjian.web.reminders.sending import DEFAULT_DAYS, send_reminders
from pingjian.web.reminders.tasks import ensure_reminder_schedule
from pingjian.web.reminders.validity import send_validity_reminders


class Command(BaseCommand):
    help = "Send deadline reminders (期限提醒) once per deadline and stage."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--days", type=int, default=None, help="remind this many working days ahead (3)")
        parser.add_argument("--today", help="pretend today is this day (ROC or ISO), for catching up")
        parser.add_argument(
            "--schedule", action="store_true", help="enqueue the daily job (db_worker runs it) and exit"
        )

    def handle(self, *args, days=None, today=None, schedule=False, **options):  # type: ignore[no-untyped-def]
        if schedule:
            result = ensure_reminder_schedule()
            self.stdout.write(
                "已排定每日提醒 scheduled" if result else "每日提醒已在排程中 already scheduled"
            )
            return
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more")
        try:
            day = parse_date(today) if today else local_today()
        except PingjianError as exc:
            raise CommandError(str(exc)) from None
        sent = [
            *send_reminders(day, days=DEFAULT_DAYS if days is None else days),
            *send_validity_reminders(day),
        ]
        requeued = requeue_unsent_emails()
        for item in sent:
            self.stdout.write(f"{item.subject}（{item.recipients}人）")
        self.stdout.write(
            f"{roc_date_long(day)}：寄出{len(sent)}則提醒 reminders sent"
            + (f"，重新排入{requeued}封未寄出之電子郵件" if requeued else "")
        )

"""`pingjian manage purge_idempotency_keys`: delete the kept first answers of API POSTs sent with an
`Idempotency-Key` once they are past their retention (settings.IDEMPOTENCY_RETENTION, 24 h).
Safe to run again, and from a timer; `pingjian worker` runs it every hour anyway.

    pingjian manage purge_idempotency_keys
    pingjian manage purge_idempotency_keys --schedule   # start the hourly self-rescheduling job instead
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from pingjian.web.accounts.tasks import ensure_idempotency_purge_schedule, purge_idempotent_requests


class Command(BaseCommand):
    help = "Delete Idempotency-Key records past their retention (冪等鍵紀錄清除)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--schedule", action="store_true", help="enqueue the hourly job (db_worker runs it) and exit"
        )

    def handle(self, *args, schedule=False, **options):  # type: ignore[no-untyped-def]
        if schedule:
            result = ensure_idempotency_purge_schedule()
            self.stdout.write("已排定每小時清除 scheduled" if result else "清除已在排程中 already scheduled")
            return
        deleted = purge_idempotent_requests()
        self.stdout.write(f"已清除{deleted}筆逾期之冪等鍵紀錄 idempotency records purged")

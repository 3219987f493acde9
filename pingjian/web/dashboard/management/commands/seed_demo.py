"""manage.py seed_demo: idempotent demo data (demo mode only)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from pingjian.web.dashboard.demo import DemoModeRequiredError, seed_demo


class Command(BaseCommand):
    help = "示範資料 seed the demo data (idempotent; PINGJIAN_DEMO=1 only)"

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            data = seed_demo()
        except DemoModeRequiredError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(
            f"示範資料 demo data: {len(data.institutions)} institutions, {len(data.users)} accounts "
            f"({time.perf_counter() - started:.1f} s)"
        )

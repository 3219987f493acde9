"""manage.py import_institutions FILE.csv [--actor USERNAME] [--check]

Checks every row first; on any error prints one line per error (row and column named) and exits 2
without writing anything."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pingjian.web.accounts.models import User
from pingjian.web.institutions.actions import do_import_institutions
from pingjian.web.institutions.csv_import import parse_institutions_csv


class Command(BaseCommand):
    help = "匯入機構 CSV (import institutions from a CSV file; all rows or none)"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path")
        parser.add_argument("--actor", help="username recorded in the audit trail (default: system)")
        parser.add_argument("--check", action="store_true", help="check only, write nothing")

    def handle(self, *args, path: str, actor: str | None, check: bool, **options):  # type: ignore[no-untyped-def]
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}", returncode=2) from exc
        plan = parse_institutions_csv(data, source=file.name)
        if plan.errors:
            for error in plan.errors:
                self.stderr.write(f"{file.name}: {error}")
            raise CommandError(
                f"{file.name}: {len(plan.errors)} 個錯誤，未匯入任何資料 (nothing written)", returncode=2
            )
        if check:
            self.stdout.write(f"{file.name}: {len(plan.rows)} 列檢查通過 (check passed)")
            return
        actor_user = None
        if actor:
            actor_user = User.objects.filter(username=actor).first()
            if actor_user is None:
                raise CommandError(f"no such user {actor!r}", returncode=2)
        summary = do_import_institutions(plan.rows, actor=actor_user, source=file.name)
        self.stdout.write(
            f"{file.name}: 新增 {summary.created}、更新 {summary.updated}、未變更 {summary.unchanged} "
            f"(created {summary.created}, updated {summary.updated}, unchanged {summary.unchanged})"
        )

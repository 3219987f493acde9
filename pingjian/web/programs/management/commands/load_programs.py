"""manage.py load_programs: load pingjian/programs/*.yaml into the database as published versions."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pingjian.rules.errors import ProgramFileError
from pingjian.web.programs.actions import do_load_program_files


class Command(BaseCommand):
    help = "載入評鑑計畫檔 load the program files as published versions (idempotent)"

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            summary = do_load_program_files(actor=None)
        except ProgramFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(
            f"programs: {len(summary.created)} loaded ({', '.join(summary.created) or '-'}), "
            f"{len(summary.unchanged)} unchanged"
        )

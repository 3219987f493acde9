"""The one `pingjian` command. Each sub-command lives in its own module and is imported lazily,
so `pingjian calendar …` never pays for Django or the dental engines."""

from __future__ import annotations

import importlib

import click

# command name -> ("module:attribute", one-line help); each attribute is a click.Command or Group.
COMMANDS: dict[str, tuple[str, str]] = {
    "programs": ("pingjian.cli.programs:programs", "評鑑計畫 list and show program definitions"),
    "score": ("pingjian.cli.score:score", "評分 score one institution's assessment"),
    "eligibility": ("pingjian.cli.eligibility:eligibility", "評鑑對象 who must be evaluated this year"),
    "calendar": ("pingjian.cli.calendar:calendar", "行事曆 deadlines and working days"),
    "dental": ("pingjian.cli.dental:dental", "牙醫輔導 NHI dental guidance points"),
    "serve": ("pingjian.cli.web:serve", "網站 run the web application"),
    "worker": ("pingjian.cli.web:worker", "背景工作 run the background jobs"),
    "backup": ("pingjian.cli.backup:backup", "備份 database and uploaded files into one archive"),
    "restore": ("pingjian.cli.backup:restore", "還原 a backup archive into an empty database"),
    "audit": ("pingjian.cli.web:audit", "稽核 verify the audit chain, sign checkpoints"),
    "manage": ("pingjian.cli.web:manage", "Django management commands"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute = COMMANDS[cmd_name][0].split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing must not import every command module (Django, engines).
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pingjian")
def main() -> None:
    """評鑑 pingjian — 醫療機構品質評鑑系統 (quality evaluations of healthcare institutions)."""

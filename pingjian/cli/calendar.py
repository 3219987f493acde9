"""`pingjian calendar …` — deadlines and working days on Taiwan's government calendar.

    pingjian calendar deadline START DAYS --regime administrative|civil [--county NAME] [--json]
    pingjian calendar workdays START N [--county NAME] [--json]

START is ISO (``2023-06-08``) or any ROC form (``112/06/08``, ``112年6月8日``, ``1120608``).
``--closure DATE=COUNTY`` (repeatable) adds a typhoon closure (停止上班) of COUNTY on DATE;
it only matters with ``--county``. With ``--json`` the output is ``{"date": …, "roc": …}``.
"""

from __future__ import annotations

import sys
from datetime import date

import click

from pingjian.cli.errors import emit_json, reports_input_errors
from pingjian.rules.deadlines import REGIMES, Deadline, deadline, nth_workday
from pingjian.rules.errors import CalendarError
from pingjian.rules.roc import parse_date, roc_date, weekday_name
from pingjian.rules.workcal import Closure, WorkingDayCalendar


class _OneLineCommand(click.Command):
    """Usage errors (a missing argument, an unknown option) as one line on stderr, exit 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            click.echo(f"錯誤 error: {' '.join(exc.format_message().split())}", err=True)
            sys.exit(2)


def _whole_number(text: str, what: str, minimum: int) -> int:
    folded = text.strip().translate({0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF0D: 0x2D})
    try:
        value = int(folded)
    except ValueError:
        raise CalendarError(f"{what} must be a whole number, got {text!r}") from None
    if value < minimum:
        qualifier = "must not be negative" if minimum == 0 else f"must be at least {minimum}"
        raise CalendarError(f"{what} {qualifier}, got {value}")
    return value


def _closures(values: tuple[str, ...]) -> list[Closure]:
    closures = []
    for value in values:
        day, separator, county = value.partition("=")
        if not separator or not county.strip():
            raise CalendarError(f"--closure {value!r}: expected DATE=COUNTY, e.g. 2023-07-27=臺北市")
        closures.append(Closure(parse_date(day), county.strip()))
    return closures


def _emit(result: Deadline, as_json: bool, headline: str) -> None:
    due: date = result.due
    if as_json:
        emit_json({"date": due.isoformat(), "roc": roc_date(due)})
        return
    tail = "上午" if result.morning_only else ""
    click.echo(f"{headline}：{roc_date(due)}{tail}（{due.isoformat()}，{weekday_name(due)}）")
    click.echo(result.explanation)


@click.group()
def calendar() -> None:
    """行事曆 deadlines (期間末日) and working days (上班日) on the Taiwan government calendar."""


_county = click.option(
    "--county", default=None, help="縣市: typhoon closures of this county count as rest days"
)
_closure = click.option(
    "--closure",
    "closure_values",
    multiple=True,
    metavar="DATE=COUNTY",
    help="停止上班: a closure (repeatable)",
)
_json = click.option("--json", "as_json", is_flag=True, help="machine output: {date, roc}")


@calendar.command("deadline", cls=_OneLineCommand, context_settings={"ignore_unknown_options": True})
@click.argument("start")
@click.argument("days")
@click.option("--regime", default=None, metavar="administrative|civil", help="行政程序法§48 or 民法§120–122")
@_county
@_closure
@_json
@reports_input_errors
def deadline_command(
    start: str,
    days: str,
    regime: str | None,
    county: str | None,
    closure_values: tuple[str, ...],
    as_json: bool,
) -> None:
    """期間末日: the last day of a period of DAYS days starting the day after START."""
    if regime is None:
        raise CalendarError("--regime is required: administrative or civil")
    if regime not in REGIMES:
        raise CalendarError(f"unknown regime {regime!r}: expected administrative or civil")
    start_day = parse_date(start)
    count = _whole_number(days, "DAYS", 0)
    work_calendar = WorkingDayCalendar.load(closures=_closures(closure_values))
    result = deadline(start_day, count, regime, work_calendar, county)
    _emit(result, as_json, "期間末日")


@calendar.command(cls=_OneLineCommand, context_settings={"ignore_unknown_options": True})
@click.argument("start")
@click.argument("n")
@_county
@_closure
@_json
@reports_input_errors
def workdays(start: str, n: str, county: str | None, closure_values: tuple[str, ...], as_json: bool) -> None:
    """第N個上班日: the N-th working day after START (START not counted)."""
    start_day = parse_date(start)
    count = _whole_number(n, "N", 1)
    work_calendar = WorkingDayCalendar.load(closures=_closures(closure_values))
    result = nth_workday(start_day, count, work_calendar, county)
    _emit(result, as_json, f"第{count}個上班日")

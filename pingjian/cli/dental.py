"""`pingjian dental …` — NHI dental guidance points (牙醫南區輔導積分), contract dental-south-113."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pingjian.cli.errors import emit_json, reports_input_errors
from pingjian.rules.errors import DataFileError

ENGINES = click.Choice(["duckdb", "spark"])
PERIODS = click.Choice(["quarter", "half", "year"])
PATH = click.Path(path_type=Path)

Decorator = Callable[[Any], Any]


def _params(values: tuple[str, ...], region: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise DataFileError(f"--param {item!r}: expected NAME=VALUE")
        name, value = item.split("=", 1)
        out[name.strip()] = value.strip()
    if region:
        out["region"] = region
    return out


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """A spinner with the current step on stderr; silent when stderr is not a terminal."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield lambda _msg: None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("牙醫輔導 dental", total=None)
        yield lambda msg: bar.update(task, description=f"牙醫輔導 {msg}")


def _warn(warnings: list[str]) -> None:
    for w in warnings[:20]:
        click.echo(f"警告 warning: {w}", err=True)
    if len(warnings) > 20:
        click.echo(f"警告 warning: … and {len(warnings) - 20} more", err=True)


def engine_options(f: Any) -> Any:
    f = click.option(
        "--no-cache",
        is_flag=True,
        help="compute the claims stage even when the cache holds it for these files",
    )(f)
    f = click.option("--memory-limit", default=None, help="engine memory budget, e.g. 4GB (DuckDB spills)")(f)
    f = click.option("--engine", type=ENGINES, default="duckdb", show_default=True)(f)
    f = click.option(
        "--param",
        "params",
        multiple=True,
        metavar="NAME=VALUE",
        help="override a program parameter (lists comma-separated)",
    )(f)
    f = click.option("--region", default=None, help="region to score (parameter `region`, default south)")(f)
    f = click.option("--quarter", required=True, help="e.g. 2024Q4 or 113Q4")(f)
    return f


def data_option(*, required: bool = False, help: str | None = None) -> Decorator:
    """--data DIR: the claims, clinics, doctors and clinic_quarter files."""
    return click.option("--data", "data_dir", required=required, type=PATH, help=help)


def store_option(f: Any) -> Any:
    """--store PATH: a claims store (`pingjian dental load`) instead of --data DIR."""
    return click.option(
        "--store", "store", type=PATH, default=None, help="a claims store (dental load) instead of --data"
    )(f)


@dataclass(frozen=True)
class ScoringOptions:
    """What `score` and `explain` score, as `scoring_options` reads it from the command line."""

    data_dir: Path | None
    store: Path | None
    indicators_file: Path | None
    quarter: str
    region: str | None
    params: tuple[str, ...]
    engine: str
    memory_limit: str | None
    no_cache: bool
    period: str
    applications: Path | None = None
    refusals: Path | None = None

    def score(self) -> Any:
        """The scored run (pipeline.score) from exactly one of --data, --store and --indicators."""
        from pingjian.dental import pipeline

        if [self.data_dir, self.store, self.indicators_file].count(None) != 2:
            raise DataFileError("give exactly one of --data DIR, --store PATH and --indicators FILE")
        with _progress(True) as step:
            return pipeline.score(
                self.data_dir,
                self.quarter,
                engine=self.engine,
                params=_params(self.params, self.region),
                memory_limit=self.memory_limit,
                indicators_path=self.indicators_file,
                period=self.period,
                progress=step,
                use_cache=not self.no_cache,
                applications=self.applications,
                refusals=self.refusals,
                store=self.store,
            )


_SCORING_FIELDS = tuple(field.name for field in fields(ScoringOptions))


def scoring_options(*, indicators_help: str | None = None, period_help: str | None = None) -> Decorator:
    """What `score` and `explain` score: --data DIR or --indicators FILE, the engine options and
    --period, handed to the command as one `scoring: ScoringOptions`."""

    def apply(run: Any) -> Any:
        @functools.wraps(run)
        def command(**kwargs: Any) -> Any:
            scoring = ScoringOptions(**{name: kwargs.pop(name) for name in _SCORING_FIELDS})
            return run(scoring=scoring, **kwargs)

        f = command
        f = click.option(
            "--refusals",
            type=PATH,
            default=None,
            help="十五: recorded refusals (clinic_id, quarter, refused: interview|repayment|agreement)",
        )(f)
        f = click.option(
            "--applications",
            type=PATH,
            default=None,
            help="十四: cross-region specialist applications (clinic_id, doctor_id, month, specialty)",
        )(f)
        f = click.option("--period", type=PERIODS, default="quarter", show_default=True, help=period_help)(f)
        f = engine_options(f)
        f = click.option("--indicators", "indicators_file", type=PATH, help=indicators_help)(f)
        f = store_option(f)
        return data_option()(f)

    return apply


def out_option(help: str) -> Decorator:
    """--out FILE (required): the table the command writes."""
    return click.option("--out", required=True, type=PATH, help=help)


def json_option(help: str) -> Decorator:
    return click.option("--json", "as_json", is_flag=True, help=help)


@click.group()
def dental() -> None:
    """牙醫門診南區輔導積分 dental-south-113: indicators, percentile ranks, points, levels."""


@dental.command()
@data_option(help="directory with claims, clinics, doctors, clinic_quarter (.parquet or .csv)")
@store_option
@engine_options
@out_option("indicator table (.csv)")
@json_option("print the run record as JSON")
@reports_input_errors
def indicators(
    data_dir: Path | None,
    store: Path | None,
    quarter: str,
    region: str | None,
    params: tuple[str, ...],
    engine: str,
    memory_limit: str | None,
    no_cache: bool,
    out: Path,
    as_json: bool,
) -> None:
    """Write the indicator table (one row per scored clinic) for a quarter."""
    from pingjian.dental import pipeline

    if (data_dir is None) == (store is None):
        raise DataFileError("give exactly one of --data DIR and --store PATH")
    with _progress(True) as step:
        res = pipeline.indicators(
            data_dir,
            quarter,
            engine=engine,
            params=_params(params, region),
            memory_limit=memory_limit,
            progress=step,
            use_cache=not no_cache,
            store=store,
        )
    rows = pipeline.indicator_rows(res)
    pipeline.write_csv_atomic(
        out, pipeline.indicator_columns(res.program), rows, {**res.run, "warnings": res.warnings}
    )
    _warn(res.warnings)
    if as_json:
        emit_json({**res.run, "out": str(out), "clinics": len(rows), "warnings": res.warnings})
    else:
        click.echo(f"{len(rows)} 家院所 clinics → {out}")


@dental.command()
@scoring_options(
    indicators_help="start from an indicator table instead of claims",
    period_help="二: half-year / year runs divide the summed points by 2 / 4 (quarter = last quarter)",
)
@out_option("score table (.csv)")
@click.option(
    "--actions",
    "actions_out",
    type=PATH,
    default=None,
    help="also write what 八/十四/七/十五 say is to be done per clinic (.csv)",
)
@click.option(
    "--specialists", "specialists_out", type=PATH, default=None, help="also write 十三 per doctor (.csv)"
)
@click.option("--explain", "explain_clinic", default=None, metavar="CLINIC", help="also explain one clinic")
@json_option("machine output (summary, or the explanation)")
@reports_input_errors
def score(
    scoring: ScoringOptions,
    out: Path,
    actions_out: Path | None,
    specialists_out: Path | None,
    explain_clinic: str | None,
    as_json: bool,
) -> None:
    """Score every clinic of the region: points per rule, total, level, flags, values and PRs."""
    from pingjian.dental import pipeline

    res = scoring.score()
    target = None
    if explain_clinic is not None:
        target = res.by_clinic().get(explain_clinic)
        if target is None:
            raise DataFileError(
                f"clinic {explain_clinic}: not scored in {res.label} (not of the region, or no line)"
            )
    pipeline.write_csv_atomic(
        out,
        pipeline.score_columns(res.program),
        pipeline.score_rows(res),
        {**res.run, "warnings": res.warnings},
    )
    if actions_out is not None:
        pipeline.write_csv_atomic(
            actions_out, pipeline.action_columns(res.program), pipeline.action_rows(res)
        )
    if specialists_out is not None:
        pipeline.write_csv_atomic(
            specialists_out, pipeline.specialist_columns(res.program), pipeline.specialist_rows(res)
        )
    _warn(res.warnings)
    if target is not None:
        _print_explanation(res, target, as_json)
    elif as_json:
        levels: dict[str, int] = {}
        for s in res.scores:
            key = "excluded" if s.excluded else str(s.level)
            levels[key] = levels.get(key, 0) + 1
        emit_json(
            {
                **res.run,
                "out": str(out),
                "label": res.label,
                "clinics": len(res.scores),
                "levels": levels,
                "warnings": res.warnings,
            }
        )
    else:
        click.echo(f"{len(res.scores)} 家院所 clinics, {res.label} → {out}")


@dental.command()
@click.argument("clinic_id")
@scoring_options()
@json_option("structured explanation")
@reports_input_errors
def explain(
    clinic_id: str,
    scoring: ScoringOptions,
    as_json: bool,
) -> None:
    """Every rule that fired for one clinic, with the values, ranks and thresholds behind it."""
    res = scoring.score()
    target = res.by_clinic().get(clinic_id)
    if target is None:
        raise DataFileError(f"clinic {clinic_id}: not scored in {res.label} (not of the region, or no line)")
    _warn([w for w in res.warnings if w.startswith(f"{clinic_id}:")])
    _print_explanation(res, target, as_json)


@dental.command()
@data_option(required=True, help="directory with claims, clinics, doctors, clinic_quarter (.parquet or .csv)")
@click.option("--store", "store", required=True, type=PATH, help="the claims store (created when missing)")
@click.option(
    "--quarter",
    "quarters",
    multiple=True,
    help="load only this quarter of the claims (repeatable; default: every quarter found)",
)
@click.option("--memory-limit", default=None, help="memory budget of the load, e.g. 4GB (DuckDB spills)")
@json_option("print what was loaded as JSON")
@reports_input_errors
def load(
    data_dir: Path, store: Path, quarters: tuple[str, ...], memory_limit: str | None, as_json: bool
) -> None:
    """Validate DIR's claims (the checks of `score`) and add their quarters to the claims store;
    a quarter already there is replaced. On an error the store is unchanged."""
    from pingjian.dental.store import load_quarters

    with _progress(True) as step:
        report = load_quarters(
            data_dir, store, quarters=list(quarters) or None, memory_limit=memory_limit, progress=step
        )
    _warn(report.warnings)
    if as_json:
        emit_json(report.as_dict())
        return
    for q, info in report.quarters.items():
        verb = "取代 replaced" if info["replaced"] else "新增 added"
        click.echo(f"{q}: {info['lines']:,} 筆 lines {verb}")
    click.echo(f"{store}: {len(report.stored_quarters)} 季 quarters ({', '.join(report.stored_quarters)})")


def _print_explanation(res: Any, s: Any, as_json: bool) -> None:
    from pingjian.dental.explain import explanation, explanation_text

    if as_json:
        emit_json(explanation(res, s))
    else:
        click.echo(explanation_text(res, s))


from pingjian.cli.dental_generate import generate  # noqa: E402  (its module imports this group's siblings only)

dental.add_command(generate)

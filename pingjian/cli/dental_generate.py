"""`pingjian dental generate`: synthetic claims for tests, demos and benchmarks (合成資料)."""

from __future__ import annotations

import time

import click

from pingjian.cli.errors import reports_input_errors


@click.command("generate")
@click.option(
    "--clinics",
    "clinics",
    type=click.IntRange(min=40),
    required=True,
    help="number of clinics of all regions (one in six outside the region)",
)
@click.option("--quarter", required=True, help="the quarter to score, e.g. 2024Q4")
@click.option("--seed", type=int, default=1, show_default=True, help="random seed (same seed, same files)")
@click.option("--out", "out", type=click.Path(file_okay=False), required=True, help="output directory")
@click.option(
    "--lookback-quarters",
    type=click.IntRange(min=0),
    default=12,
    show_default=True,
    help="quarters of history before the quarter",
)
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True)
@click.option("--region", default="south", show_default=True, help="the region whose clinics are scored")
@click.option(
    "--lines-per-clinic",
    type=click.IntRange(min=50),
    default=2500,
    show_default=True,
    help="mean claim lines per clinic and quarter",
)
@click.option("--quiet", is_flag=True, help="no progress bar")
@reports_input_errors
def generate(
    clinics: int,
    quarter: str,
    seed: int,
    out: str,
    lookback_quarters: int,
    fmt: str,
    region: str,
    lines_per_clinic: int,
    quiet: bool,
) -> None:
    """Write claims, clinics, doctors and clinic_quarter for CLINICS clinics to OUT."""
    from pingjian.dental.generate import generate as run

    started = time.perf_counter()
    try:
        result = run(
            out,
            clinics,
            quarter,
            seed,
            lookback_quarters=lookback_quarters,
            fmt=fmt,
            region=region,
            lines_per_clinic=lines_per_clinic,
            progress=not quiet,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    click.echo(
        f"寫入 wrote {result.lines:,} claim lines ({result.quarter_lines:,} in {quarter}), "
        f"{result.clinics:,} clinics, {result.doctors:,} doctors, {result.patients:,} patients "
        f"to {result.out} in {time.perf_counter() - started:.1f} s",
        err=True,
    )

"""`generate`: the four input files for a seed, written one quarter of claims at a time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pingjian.dental.generate.catalogue import LINES_PER_CASE
from pingjian.dental.generate.claims import generate_quarter
from pingjian.dental.generate.dates import target_quarter
from pingjian.dental.generate.edges import edge_rows
from pingjian.dental.generate.files import (
    CLAIMS_SCHEMA,
    ClaimsSink,
    ClaimTables,
    clinic_quarter_table,
    clinics_table,
    doctors_table,
    ids_column,
    write_table,
)
from pingjian.dental.generate.population import Population, build_population


@dataclass
class GenerateResult:
    out: Path
    lines: int
    quarter_lines: int
    clinics: int
    doctors: int
    patients: int
    roles: dict[str, Any]
    files: dict[str, Path]


def roles_by_id(result: GenerateResult) -> dict[str, Any]:
    """Role name → clinic_id (or list of clinic_ids / doctor_ids) for tests."""
    return result.roles


def generate(
    out: str | Path,
    clinics: int,
    quarter: str,
    seed: int,
    *,
    lookback_quarters: int = 12,
    fmt: str = "parquet",
    region: str = "south",
    lines_per_clinic: int = 2500,
    progress: bool = False,
) -> GenerateResult:
    """Write the four input files to `out` and return what was written."""
    if fmt not in ("parquet", "csv"):
        raise ValueError("format must be parquet or csv")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    target = target_quarter(quarter)
    quarter = str(target)
    pop, rng = build_population(clinics, quarter, seed, region=region, lines_per_clinic=lines_per_clinic)
    n_south = pop.roles["south_count"]
    if n_south < len(pop.clinic_ids):
        pop.roles["other_first"] = n_south
    # the crafted cross-region doctor of the edge rows
    pop.doctor_ids.append(f"D{len(pop.doctor_ids) + 1:07d}")
    pop.doctor_region.append("central")
    pop.doctor_specialist = np.append(pop.doctor_specialist, False)
    crafted_doctor = len(pop.doctor_ids) - 1

    ext = "parquet" if fmt == "parquet" else "csv"
    files = {name: out / f"{name}.{ext}" for name in ("claims", "clinics", "doctors", "clinic_quarter")}
    quarters = [target.shift(-k) for k in range(lookback_quarters, -1, -1)]
    cases_per_clinic = lines_per_clinic / LINES_PER_CASE

    # edge rows first (they add patients), so the patient table is complete before any write
    edge_claim_base = 900_000_000
    n_pat = len(pop.patient_birth)
    edge, edge_births = edge_rows(pop, target, edge_claim_base, n_pat, crafted_doctor)
    assert int(edge.doctor.max()) <= crafted_doctor
    birth = np.concatenate([pop.patient_birth, edge_births])
    patient_ids = ids_column("P", np.arange(len(birth)), 9)
    tables = ClaimTables(pop, patient_ids, birth)

    sink = ClaimsSink(files["claims"], CLAIMS_SCHEMA, fmt)
    total = 0
    quarter_lines = 0
    bar = _progress(progress)
    try:
        with bar:
            task = bar.add_task(f"claims {len(quarters)} quarters", total=len(quarters) + 1)
            for i, qq in enumerate(quarters):
                is_target = i == len(quarters) - 1
                ch = generate_quarter(
                    pop, rng, qq, is_target=is_target, claim_base=0, cases_per_clinic=cases_per_clinic
                )
                # write in slices of about a million lines
                t = tables.table(ch, f"{qq.year}{qq.number}")
                for off in range(0, t.num_rows, 1 << 20):
                    sink.write(t.slice(off, 1 << 20))
                total += t.num_rows
                if is_target:
                    quarter_lines += t.num_rows
                bar.advance(task)
                del ch, t
            te = tables.table(edge, "E")
            sink.write(te)
            total += te.num_rows
            bar.advance(task)
    finally:
        sink.close()

    write_table(files["clinics"], clinics_table(pop), fmt)
    write_table(files["doctors"], doctors_table(pop), fmt)
    write_table(files["clinic_quarter"], clinic_quarter_table(pop, rng, target), fmt)

    roles = _roles_to_ids(pop)
    roles["crafted_cross_doctor"] = pop.doctor_ids[crafted_doctor]
    return GenerateResult(
        out=out,
        lines=total,
        quarter_lines=quarter_lines,
        clinics=len(pop.clinic_ids),
        doctors=len(pop.doctor_ids),
        patients=len(birth),
        roles=roles,
        files=files,
    )


def _progress(enabled: bool) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


def _roles_to_ids(pop: Population) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pop.roles.items():
        if k in ("south_count", "other_count", "cross_doctors"):
            out[k] = v
        elif isinstance(v, list):
            out[k] = [pop.clinic_ids[i] for i in v]
        else:
            out[k] = pop.clinic_ids[int(v)]
    return out

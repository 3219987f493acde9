"""Hand-built dental input data for tests: claims, clinics, doctors, clinic_quarter in code."""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

CLAIM_COLS = [
    "claim_id",
    "clinic_id",
    "doctor_id",
    "patient_id",
    "birth_date",
    "visit_date",
    "order_code",
    "tooth",
    "surfaces",
    "quantity",
    "points",
]
QUARTER = "2024Q4"


@dataclass
class Data:
    claims: list[dict[str, Any]] = field(default_factory=list)
    clinics: list[dict[str, Any]] = field(default_factory=list)
    doctors: list[dict[str, Any]] = field(default_factory=list)
    clinic_quarter: list[dict[str, Any]] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def clinic(
        self,
        cid: str,
        region: str = "south",
        kind: str = "clinic",
        opened_on: str = "2010-01-01",
        sessions: float = 20.0,
        outreach: int = 0,
        unimproved: bool = False,
        quarter: str | None = QUARTER,
        doctor: bool = True,
    ) -> str:
        self.clinics.append(
            {"clinic_id": cid, "name": f"診所{cid}", "region": region, "kind": kind, "opened_on": opened_on}
        )
        if quarter is not None:
            self.clinic_quarter.append(
                {
                    "clinic_id": cid,
                    "quarter": quarter,
                    "sessions_per_month": sessions,
                    "outreach_sessions_year": outreach,
                    "unimproved_after_agreement": unimproved,
                }
            )
        if doctor:
            self.doctor(f"D{cid}")
        return cid

    def doctor(self, did: str, home_region: str = "south", specialist: bool | None = False) -> str:
        """specialist None: left empty (十三/十四 decide from the claims and applications)."""
        self.doctors.append({"doctor_id": did, "home_region": home_region, "specialist": specialist})
        return did

    def line(
        self,
        clinic: str,
        date: str,
        code: str = "01271C",
        points: int = 100,
        *,
        patient: str = "P1",
        tooth: str | None = None,
        surfaces: int | None = None,
        claim: str | None = None,
        doctor: str | None = None,
        birth: str = "1980-01-01",
        quantity: int = 1,
    ) -> str:
        if code.startswith("89") and tooth is None:
            tooth = "11"
        if code.startswith("89") and surfaces is None:
            surfaces = 1
        claim = claim or f"C{next(self._ids)}"
        self.claims.append(
            {
                "claim_id": claim,
                "clinic_id": clinic,
                "doctor_id": doctor or f"D{clinic}",
                "patient_id": patient,
                "birth_date": birth,
                "visit_date": date,
                "order_code": code,
                "tooth": tooth,
                "surfaces": surfaces,
                "quantity": quantity,
                "points": points,
            }
        )
        return claim

    def write(self, directory: Path, fmt: str = "csv") -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        tables = {
            "claims": (self.claims, CLAIM_COLS),
            "clinics": (self.clinics, ["clinic_id", "name", "region", "kind", "opened_on"]),
            "doctors": (self.doctors, ["doctor_id", "home_region", "specialist"]),
            "clinic_quarter": (
                self.clinic_quarter,
                [
                    "clinic_id",
                    "quarter",
                    "sessions_per_month",
                    "outreach_sessions_year",
                    "unimproved_after_agreement",
                ],
            ),
        }
        for name, (rows, cols) in tables.items():
            if fmt == "csv":
                with open(directory / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
                    w = csv.DictWriter(fh, fieldnames=cols)
                    w.writeheader()
                    for r in rows:
                        w.writerow(
                            {
                                k: (
                                    ""
                                    if r.get(k) is None
                                    else str(r[k]).lower()
                                    if isinstance(r[k], bool)
                                    else r[k]
                                )
                                for k in cols
                            }
                        )
            else:
                pq.write_table(_arrow(name, rows, cols), directory / f"{name}.parquet")
        return directory


_TYPES = {
    "birth_date": pa.date32(),
    "visit_date": pa.date32(),
    "opened_on": pa.date32(),
    "surfaces": pa.int32(),
    "quantity": pa.int32(),
    "points": pa.int64(),
    "specialist": pa.bool_(),
    "sessions_per_month": pa.float64(),
    "outreach_sessions_year": pa.int32(),
    "unimproved_after_agreement": pa.bool_(),
}


def _arrow(name: str, rows: list[dict[str, Any]], cols: list[str]) -> pa.Table:
    import datetime as dt

    arrays = {}
    for c in cols:
        typ = _TYPES.get(c, pa.string())
        vals = [r.get(c) for r in rows]
        if typ == pa.date32():
            vals = [dt.date.fromisoformat(v) if v else None for v in vals]
        arrays[c] = pa.array(vals, type=typ)
    return pa.table(arrays)

"""Helpers for the dental-south-113 hand-computed fixtures (contract
`/work/shared/docs/contracts/dental-south-113.md`). Only builds input files and runs the
`pingjian dental score` command; knows nothing of the engine's code."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PINGJIAN = Path(sys.executable).with_name("pingjian")
SUBPROCESS = os.environ.get("PINGJIAN_ACCEPTANCE_SUBPROCESS") == "1"

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
RULES = ["r3_1", "r3_2", "r3_3", "r3_4", "r3_5", "r4_1", "r4_2", "r4_5", "r5_5", "r6_4", "r11"]


@dataclass
class Data:
    claims: list[dict] = field(default_factory=list)
    clinics: list[dict] = field(default_factory=list)
    doctors: dict[str, dict] = field(default_factory=dict)
    cq: list[dict] = field(default_factory=list)
    n: int = 0

    def clinic(
        self,
        cid,
        region="south",
        opened="2010-01-01",
        kind="clinic",
        quarter_row=True,
        sessions=20.0,
        outreach=0,
        unimproved=False,
        cq_quarter="2024Q4",
    ):
        self.clinics.append(
            dict(clinic_id=cid, name=f"診所{cid}", region=region, kind=kind, opened_on=opened)
        )
        if quarter_row:
            self.cq.append(
                dict(
                    clinic_id=cid,
                    quarter=cq_quarter,
                    sessions_per_month=sessions,
                    outreach_sessions_year=outreach,
                    unimproved_after_agreement=str(unimproved).lower(),
                )
            )

    def doctor(self, did, home="south", specialist=False):
        self.doctors[did] = dict(doctor_id=did, home_region=home, specialist=str(specialist).lower())

    def claim(self, clinic, doctor, patient, date, lines, birth="1980-01-01", claim_id=None):
        """lines: (code, points) or (code, points, tooth, surfaces)."""
        if doctor not in self.doctors:
            self.doctor(doctor)
        if claim_id is None:
            self.n += 1
            claim_id = f"K{self.n:07d}"
        for ln in lines:
            code, pts = ln[0], ln[1]
            tooth = ln[2] if len(ln) > 2 else ""
            surf = ln[3] if len(ln) > 3 else ""
            self.claims.append(
                dict(
                    claim_id=claim_id,
                    clinic_id=clinic,
                    doctor_id=doctor,
                    patient_id=patient,
                    birth_date=birth,
                    visit_date=date,
                    order_code=code,
                    tooth=tooth,
                    surfaces=surf,
                    quantity=1,
                    points=pts,
                )
            )
        return claim_id

    def block(
        self, clinic, doctor, total, date="2024-10-15", per_case=1400, first=(), tag=None, n=None, scaling=0
    ):
        """Cases of new adult patients of `doctor` at `clinic` on `date` whose points sum to exactly
        `total`: `first` lines go into the first case; the rest is 01271C (plain, no code set) lines
        of at most `per_case` points, one case each (so avg case points <= per_case + extras)."""
        tag = tag or f"{clinic}-{doctor}-{date}"
        rest = total - sum(ln[1] for ln in first)
        assert rest >= 0
        n = n or max(1, -(-rest // per_case))
        base, extra = divmod(rest, n)
        for i in range(n):
            pts = base + (1 if i < extra else 0)
            lines = [("01271C", pts)]
            if i < scaling:  # a 91004C scaling line of 100 points inside the case
                lines = [("91004C", 100), ("01271C", pts - 100)]
            if i == 0:
                lines = list(first) + lines
            self.claim(clinic, doctor, f"P-{tag}-{i}", date, lines)
        return n

    def write(self, d: Path, parquet=()):
        d.mkdir(parents=True, exist_ok=True)
        tables = {
            "claims": (CLAIM_COLS, self.claims),
            "clinics": (["clinic_id", "name", "region", "kind", "opened_on"], self.clinics),
            "doctors": (["doctor_id", "home_region", "specialist"], list(self.doctors.values())),
            "clinic_quarter": (
                [
                    "clinic_id",
                    "quarter",
                    "sessions_per_month",
                    "outreach_sessions_year",
                    "unimproved_after_agreement",
                ],
                self.cq,
            ),
        }
        for name, (cols, rows) in tables.items():
            if name in parquet:
                write_parquet(d / f"{name}.parquet", name, cols, rows)
            else:
                with open(d / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
                    w = csv.DictWriter(fh, fieldnames=cols)
                    w.writeheader()
                    w.writerows(rows)
        return d


def write_parquet(path, name, cols, rows):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    def conv(col, v):
        if col in ("opened_on", "birth_date", "visit_date"):
            return dt.date.fromisoformat(v)
        if col in ("specialist", "unimproved_after_agreement"):
            return v == "true"
        if col in ("points", "quantity", "outreach_sessions_year"):
            return int(v)
        if col == "surfaces":
            return None if v == "" else int(v)
        if col == "tooth":
            return None if v == "" else str(v)
        if col == "sessions_per_month":
            return float(v)
        return v

    data = {c: [conv(c, r[c]) for r in rows] for c in cols}
    pq.write_table(pa.table(data), path)


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    rows: dict[str, dict] | None
    header: list[str] | None
    raw: str


def score(data_dir: Path, out: Path, *extra: str) -> Result:
    return run(["dental", "score", "--data", str(data_dir), "--quarter", "2024Q4", *extra], out)


def run(args: list[str], out: Path) -> Result:
    """`pingjian <args> --out OUT` (in-process, or the installed script when SUBPROCESS), with the
    CSV it wrote read back by clinic."""
    args = [*args, "--out", str(out)]
    if SUBPROCESS:
        p = subprocess.run(
            [str(PINGJIAN), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        code, so, se = p.returncode, p.stdout, p.stderr
    else:
        from click.testing import CliRunner

        from pingjian.cli import main

        r = CliRunner().invoke(main, args, catch_exceptions=False)
        code, so, se = r.exit_code, r.stdout, r.stderr
    rows = header = None
    raw = ""
    if out.exists():
        raw = out.read_text(encoding="utf-8")
        with open(out, newline="", encoding="utf-8") as fh:
            rd = csv.DictReader(fh)
            header = rd.fieldnames
            rows = {}
            for r in rd:
                assert r["clinic_id"] not in rows, f"two rows for {r['clinic_id']}"
                rows[r["clinic_id"]] = r
    return Result(code, so, se, rows, header, raw)


def level(total: int) -> int:
    """Contract 'Levels' table (written out by hand, not derived from the engine)."""
    if total == 0:
        return 0
    if total <= 4:
        return 1
    if total <= 9:
        return 2
    if total <= 15:
        return 3
    if total <= 19:
        return 4
    return 5


def expect_row(row: dict, rules: dict[str, int], flags: str = "", excluded: bool = False):
    """Compare one output row with hand-computed rule points (missing rules = 0)."""
    got = {k: row[k] for k in ["excluded", "points", "level", "flags", *RULES]}
    if excluded:
        want = {"excluded": "true", "points": "", "level": "", "flags": flags, **{r: "" for r in RULES}}
    else:
        full = {r: rules.get(r, 0) for r in RULES}
        gross = sum(v for k, v in full.items() if k != "r11")
        total = max(0, gross + full["r11"])
        want = {
            "excluded": "false",
            "points": str(total),
            "level": str(level(total)),
            "flags": flags,
            **{r: str(v) for r, v in full.items()},
        }
    return got, want
